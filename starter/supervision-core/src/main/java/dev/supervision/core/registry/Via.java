package dev.supervision.core.registry;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Pid;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/* A "via" name: a unique key of a registry, resolved at every use. */
final class Via implements Name {
  private final PartitionedRegistry<?, ?> registry;
  private final Object key;
  private final @Nullable Object value;

  Via(PartitionedRegistry<?, ?> registry, Object key, @Nullable Object value) {
    this.registry = registry;
    this.key = key;
    this.value = value;
  }

  @Override
  public @Nullable Pid whereis() {
    return registry.holder(key);
  }

  @Override
  public Optional<Pid> register(Pid self) {
    return Optional.ofNullable(registry.put(self, key, value));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Via v && v.registry == registry && v.key.equals(key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(registry), key);
  }

  @Override
  public String toString() {
    return "via(" + registry.name() + ", " + key + ")";
  }
}

package dev.supervision.core.server;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Pid;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/* A unique name in a map, released by an exit callback when its holder exits (as a registry does). */
final class TestName implements Name {
  private final ConcurrentHashMap<String, Pid> table;
  private final String key;

  TestName(ConcurrentHashMap<String, Pid> table, String key) {
    this.table = table;
    this.key = key;
  }

  @Override
  public Optional<Pid> register(Pid self) {
    Pid holder = table.putIfAbsent(key, self);
    if (holder != null) {
      return Optional.of(holder);
    }
    self.node().monitor(self, (pid, reason) -> table.remove(key, pid));
    return Optional.empty();
  }

  @Override
  public @Nullable Pid whereis() {
    return table.get(key);
  }

  @Override
  public String toString() {
    return "name:" + key;
  }
}

package dev.supervision.core.registry;

import dev.supervision.core.process.Node;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/* The open registries of one node, by name: a node extension. */
final class RegistryDirectory {
  private final ConcurrentHashMap<String, Registry<?, ?>> registries = new ConcurrentHashMap<>();

  static RegistryDirectory of(Node node) {
    return node.extension(RegistryDirectory.class, n -> new RegistryDirectory());
  }

  boolean add(Registry<?, ?> registry) {
    return registries.putIfAbsent(registry.name(), registry) == null;
  }

  void remove(Registry<?, ?> registry) {
    registries.remove(registry.name(), registry);
  }

  Optional<Registry<?, ?>> find(String name) {
    return Optional.ofNullable(registries.get(name));
  }

  List<Registry<?, ?>> all() {
    return List.copyOf(registries.values());
  }
}

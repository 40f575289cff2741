package dev.supervision.core.registry;

import java.util.Objects;

/**
 * How to create a {@link Registry}: its name, key kind, partitions and whether it publishes events.
 *
 * {@snippet :
 * Registry<String, Object> rooms = Registry.create(node, RegistrySpec.unique("rooms"));
 * Registry<String, String> topics =
 *     Registry.create(node, RegistrySpec.duplicate("topics").withPartitions(8).withEvents(false));
 * }
 *
 * @param name unique among the registries of a node; used in events, logs and metrics; not blank
 * @param keys unique or duplicate keys
 * @param partitions how many independent tables the entries are spread over, by key hash; {@code >=
 *     1}; default {@link #DEFAULT_PARTITIONS} (the number of processors, as Elixir's {@code
 *     PartitionSupervisor}; a plain Elixir registry defaults to 1)
 * @param events whether registrations and removals are published to the node's {@link
 *     dev.supervision.core.event.EventBus} as {@link
 *     dev.supervision.core.event.SupervisionEvent.EntryRegistered} and {@link
 *     dev.supervision.core.event.SupervisionEvent.EntryRemoved}; default {@code true} (nothing is
 *     built while the bus has no listener)
 */
public record RegistrySpec(String name, Keys keys, int partitions, boolean events) {

  /** The default number of partitions: the number of available processors. */
  public static final int DEFAULT_PARTITIONS = Runtime.getRuntime().availableProcessors();

  /**
   * Validates the spec.
   *
   * @throws IllegalArgumentException naming the invalid value
   */
  public RegistrySpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "registry name must not be null or blank but was '" + name + "'");
    }
    Objects.requireNonNull(keys, () -> "registry '" + name + "': keys must be UNIQUE or DUPLICATE");
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "registry '" + name + "': partitions must be >= 1 but was " + partitions);
    }
  }

  /** A spec for a registry with unique keys and the defaults. */
  public static RegistrySpec unique(String name) {
    return of(name, Keys.UNIQUE);
  }

  /** A spec for a registry with duplicate keys and the defaults. */
  public static RegistrySpec duplicate(String name) {
    return of(name, Keys.DUPLICATE);
  }

  /** A spec with {@code keys} and the defaults. */
  public static RegistrySpec of(String name, Keys keys) {
    return new RegistrySpec(name, keys, DEFAULT_PARTITIONS, true);
  }

  /** A copy with {@code partitions}. */
  public RegistrySpec withPartitions(int partitions) {
    return new RegistrySpec(name, keys, partitions, events);
  }

  /** A copy with {@code events}. */
  public RegistrySpec withEvents(boolean events) {
    return new RegistrySpec(name, keys, partitions, events);
  }

  /** A copy with {@code keys}. */
  public RegistrySpec withKeys(Keys keys) {
    return new RegistrySpec(name, keys, partitions, events);
  }
}

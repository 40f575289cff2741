package dev.supervision.core.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to create a {@link Registry}: its name, key kind, partitions, whether it publishes events and
 * its initial metadata.
 *
 * {@snippet :
 * Registry<String, Object> rooms = Registry.create(node, RegistrySpec.unique("rooms"));
 * Registry<String, String> topics =
 *     Registry.create(node, RegistrySpec.duplicate("topics").withPartitions(8).withEvents(false));
 * // Elixir: Registry.start_link(keys: :unique, name: Sessions, meta: [region: "eu"])
 * Registry<String, Object> sessions =
 *     Registry.create(node, RegistrySpec.unique("sessions").withMeta("region", "eu"));
 * sessions.meta("region"); // Optional[eu]
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
 * @param meta the metadata the registry starts with, readable with {@link Registry#meta} (Elixir's
 *     {@code meta:} option of {@code start_link}); keys and values not null; default empty. The
 *     registry copies it: {@link Registry#putMeta} and {@link Registry#deleteMeta} change the
 *     registry's metadata, never the spec's
 */
public record RegistrySpec(
    String name, Keys keys, int partitions, boolean events, Map<Object, Object> meta) {

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
    meta = checkMeta(name, meta);
  }

  /*
   * Map.copyOf refuses null keys and values too, but without saying which registry or key; the
   * registry's metadata is a ConcurrentHashMap, which cannot hold them either.
   */
  private static Map<Object, Object> checkMeta(String name, Map<?, ?> meta) {
    Objects.requireNonNull(meta, () -> "registry '" + name + "': meta must not be null");
    for (Map.Entry<?, ?> e : meta.entrySet()) {
      Objects.requireNonNull(
          e.getKey(), () -> "registry '" + name + "': meta keys must not be null");
      Objects.requireNonNull(
          e.getValue(),
          () -> "registry '" + name + "': meta value for key " + e.getKey() + " must not be null");
    }
    return Map.copyOf(meta);
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
    return new RegistrySpec(name, keys, DEFAULT_PARTITIONS, true, Map.of());
  }

  /** A copy with {@code partitions}. */
  public RegistrySpec withPartitions(int partitions) {
    return new RegistrySpec(name, keys, partitions, events, meta);
  }

  /** A copy with {@code events}. */
  public RegistrySpec withEvents(boolean events) {
    return new RegistrySpec(name, keys, partitions, events, meta);
  }

  /** A copy with {@code keys}. */
  public RegistrySpec withKeys(Keys keys) {
    return new RegistrySpec(name, keys, partitions, events, meta);
  }

  /** A copy whose initial metadata is {@code meta}, replacing what this spec had. */
  public RegistrySpec withMeta(Map<?, ?> meta) {
    Objects.requireNonNull(meta, () -> "registry '" + name + "': meta must not be null");
    return new RegistrySpec(name, keys, partitions, events, new HashMap<>(meta));
  }

  /** A copy with {@code value} under {@code key} in the initial metadata, added or replaced. */
  public RegistrySpec withMeta(Object key, Object value) {
    HashMap<Object, Object> next = new HashMap<>(meta);
    next.put(key, value);
    return new RegistrySpec(name, keys, partitions, events, next);
  }
}

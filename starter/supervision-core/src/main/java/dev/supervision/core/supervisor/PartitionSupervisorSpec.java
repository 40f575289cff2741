package dev.supervision.core.supervisor;

import dev.supervision.core.server.Server;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * How to start a {@link PartitionSupervisor}: {@code partitions} copies of one server, each its own
 * child.
 *
 * {@snippet :
 * PartitionSupervisorSpec<Cache.Message> spec =
 *     PartitionSupervisorSpec.of("caches", 8, partition -> new Cache(partition));
 * }
 *
 * @param name the partition supervisor's name, for logs, events and metrics; not blank
 * @param partitions how many partitions; default: the number of processors (Elixir's {@code
 *     System.schedulers_online()}); at least 1
 * @param factory makes the server of a partition, given the partition's number (Elixir's {@code
 *     :with_arguments}); called again, with the same number, for every restart
 * @param maxRestarts the supervisor's restart intensity; default 3 (Elixir's)
 * @param within the intensity window; default 5 seconds
 * @param <M> the partitions' protocol
 */
public record PartitionSupervisorSpec<M>(
    String name,
    int partitions,
    IntFunction<? extends Server<M>> factory,
    int maxRestarts,
    Duration within) {

  /**
   * Validates the spec.
   *
   * @throws InvalidSpecException naming the invalid value
   */
  public PartitionSupervisorSpec {
    if (name == null || name.isBlank()) {
      throw new InvalidSpecException(
          "partition supervisor name must not be null or blank but was '" + name + "'");
    }
    if (partitions < 1) {
      throw new InvalidSpecException(
          "partition supervisor '" + name + "': partitions must be >= 1 but was " + partitions);
    }
    if (factory == null) {
      throw new InvalidSpecException("partition supervisor '" + name + "' has no factory");
    }
    if (maxRestarts < 0) {
      throw new InvalidSpecException(
          "partition supervisor '" + name + "': maxRestarts must be >= 0 but was " + maxRestarts);
    }
    if (within == null || within.isNegative() || within.isZero()) {
      throw new InvalidSpecException(
          "partition supervisor '" + name + "': within must be > 0 but was " + within);
    }
  }

  /** One partition per processor, with the default intensity. */
  public static <M> PartitionSupervisorSpec<M> of(
      String name, IntFunction<? extends Server<M>> factory) {
    return of(name, Runtime.getRuntime().availableProcessors(), factory);
  }

  /** {@code partitions} partitions with the default intensity. */
  public static <M> PartitionSupervisorSpec<M> of(
      String name, int partitions, IntFunction<? extends Server<M>> factory) {
    return new PartitionSupervisorSpec<>(
        name,
        partitions,
        factory,
        SupervisorSpec.DEFAULT_MAX_RESTARTS,
        SupervisorSpec.DEFAULT_WITHIN);
  }

  /** A copy with the supervisor's restart intensity. */
  public PartitionSupervisorSpec<M> withIntensity(int maxRestarts, Duration within) {
    return new PartitionSupervisorSpec<>(name, partitions, factory, maxRestarts, within);
  }
}

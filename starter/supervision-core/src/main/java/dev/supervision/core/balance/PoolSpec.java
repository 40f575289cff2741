package dev.supervision.core.balance;

import dev.supervision.core.server.Server;
import dev.supervision.core.supervisor.SupervisorSpec;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How to build a {@link WorkerPool}.
 *
 * {@snippet :
 * PoolSpec<PriceWorker.Message> spec = PoolSpec.of("pricing", 4, PriceWorker::new)
 *     .withStrategy(BalanceStrategy.LEAST_LOADED)
 *     .withIntensity(10, Duration.ofSeconds(5));
 * }
 *
 * @param name the pool's name; its supervisor is {@code "<name>-pool"} and its workers {@code
 *     "<name>-0"} ... ; not blank
 * @param size the number of workers; {@code > 0}
 * @param workerFactory makes a fresh worker server for every start and restart
 * @param strategy how workers are picked; default {@link BalanceStrategy#ROUND_ROBIN}
 * @param maxRestarts the pool supervisor's restart intensity; default 3 (Elixir's)
 * @param within the intensity window; default 5 seconds
 * @param <M> the workers' protocol
 */
public record PoolSpec<M>(
    String name,
    int size,
    Supplier<? extends Server<M>> workerFactory,
    BalanceStrategy strategy,
    int maxRestarts,
    Duration within) {

  /**
   * Validates the spec.
   *
   * @throws IllegalArgumentException naming the invalid value
   */
  public PoolSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "pool name must not be null or blank but was '" + name + "'");
    }
    if (size <= 0) {
      throw new IllegalArgumentException("pool '" + name + "': size must be > 0 but was " + size);
    }
    if (workerFactory == null) {
      throw new IllegalArgumentException("pool '" + name + "': workerFactory must not be null");
    }
    if (strategy == null) {
      throw new IllegalArgumentException("pool '" + name + "': strategy must not be null");
    }
    if (maxRestarts < 0) {
      throw new IllegalArgumentException(
          "pool '" + name + "': maxRestarts must be >= 0 but was " + maxRestarts);
    }
    if (within == null || within.isNegative() || within.isZero()) {
      throw new IllegalArgumentException(
          "pool '" + name + "': within must be a positive duration but was " + within);
    }
  }

  /** A round-robin pool with the default restart intensity. */
  public static <M> PoolSpec<M> of(
      String name, int size, Supplier<? extends Server<M>> workerFactory) {
    return new PoolSpec<>(
        name,
        size,
        workerFactory,
        BalanceStrategy.ROUND_ROBIN,
        SupervisorSpec.DEFAULT_MAX_RESTARTS,
        SupervisorSpec.DEFAULT_WITHIN);
  }

  /** A copy with {@code strategy}. */
  public PoolSpec<M> withStrategy(BalanceStrategy strategy) {
    return new PoolSpec<>(name, size, workerFactory, strategy, maxRestarts, within);
  }

  /** A copy with {@code size}. */
  public PoolSpec<M> withSize(int size) {
    return new PoolSpec<>(name, size, workerFactory, strategy, maxRestarts, within);
  }

  /** A copy with the pool supervisor's restart intensity. */
  public PoolSpec<M> withIntensity(int maxRestarts, Duration within) {
    return new PoolSpec<>(name, size, workerFactory, strategy, maxRestarts, within);
  }

  /** The name of the pool's supervisor: {@code "<name>-pool"}. */
  public String supervisorName() {
    return name + "-pool";
  }

  /** The id of worker {@code index}: {@code "<name>-<index>"}. */
  public String workerId(int index) {
    return name + "-" + index;
  }
}

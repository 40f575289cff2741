package dev.supervision.core.balance;

import dev.supervision.core.process.Node;
import dev.supervision.core.registry.Keys;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.Server;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Creates {@link LoadBalancer}s: over a pool of supervised workers, or over the processes
 * registered under one key of a duplicate {@link Registry}.
 *
 * {@snippet :
 * WorkerPool<PriceWorker.Message> pool = LoadBalancers.pool(node, "pricing", 4, PriceWorker::new,
 *     BalanceStrategy.ROUND_ROBIN);
 *
 * Registry<String, Object> groups = Registry.duplicate(node, "groups");
 * LoadBalancer<SearchWorker.Message> search =
 *     LoadBalancers.overKey(groups, "search", BalanceStrategy.LEAST_LOADED);
 * }
 */
public final class LoadBalancers {
  private LoadBalancers() {}

  /**
   * Starts a pool of {@code size} workers under its own one-for-one supervisor and balances over
   * them. Returns once every worker has started; {@link WorkerPool#close()} stops them.
   *
   * @throws IllegalArgumentException if {@code size <= 0} or the name is blank
   * @throws dev.supervision.core.server.StartException if a worker fails to start
   */
  public static <M> WorkerPool<M> pool(
      Node node,
      String name,
      int size,
      Supplier<? extends Server<M>> workerFactory,
      BalanceStrategy strategy) {
    return pool(node, PoolSpec.of(name, size, workerFactory).withStrategy(strategy));
  }

  /**
   * Starts a pool from {@code spec}; see {@link #pool(Node, String, int, Supplier,
   * BalanceStrategy)}.
   */
  public static <M> WorkerPool<M> pool(Node node, PoolSpec<M> spec) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(spec, "spec");
    PoolBalancer<M> pool = new PoolBalancer<>(spec, false);
    pool.startOn(node);
    return pool;
  }

  /**
   * A pool that is not started yet: add {@link WorkerPool#childSpec()} to a supervisor, which then
   * starts (and restarts) the pool's supervisor. Until then it has no worker up.
   */
  public static <M> WorkerPool<M> supervisedPool(PoolSpec<M> spec) {
    Objects.requireNonNull(spec, "spec");
    return new PoolBalancer<>(spec, true);
  }

  /**
   * Balances over the live processes registered under {@code key} in a duplicate registry,
   * following registrations, unregistrations and exits as they happen. A process registered several
   * times under the key counts once. The balancer is named {@code "<registry>/<key>"}.
   *
   * @throws IllegalArgumentException if {@code key} is null or an empty string, or the registry has
   *     unique keys
   */
  public static <K, M> LoadBalancer<M> overKey(
      Registry<K, ?> registry, K key, BalanceStrategy strategy) {
    Objects.requireNonNull(registry, "registry");
    if (key == null || (key instanceof String s && s.isEmpty())) {
      throw new IllegalArgumentException(
          "load balancer over registry '"
              + registry.name()
              + "': key must not be null or empty but was "
              + (key == null ? "null" : "''"));
    }
    Objects.requireNonNull(strategy, "strategy");
    if (registry.keys() != Keys.DUPLICATE) {
      throw new IllegalArgumentException(
          "load balancer over registry '"
              + registry.name()
              + "': the registry must have DUPLICATE keys (a unique key holds at most one"
              + " process)");
    }
    return new KeyBalancer<>(registry, key, strategy);
  }
}

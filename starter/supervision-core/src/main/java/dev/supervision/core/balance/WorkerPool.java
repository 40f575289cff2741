package dev.supervision.core.balance;

import dev.supervision.core.process.Pid;
import dev.supervision.core.supervisor.ChildSpec;
import java.util.Optional;

/**
 * A {@link LoadBalancer} over a fixed number of workers that it supervises itself: a one-for-one
 * supervisor named {@code "<name>-pool"} with permanent children {@code "<name>-0"} to {@code
 * "<name>-(size-1)"}.
 *
 * {@snippet :
 * // a pool of its own, stopped by close():
 * WorkerPool<PriceWorker.Message> pool = LoadBalancers.pool(node, "pricing", 4, PriceWorker::new,
 *     BalanceStrategy.ROUND_ROBIN);
 *
 * // or a pool inside an existing tree:
 * WorkerPool<SearchWorker.Message> pool2 =
 *     LoadBalancers.supervisedPool(PoolSpec.of("search", 8, SearchWorker::new));
 * Supervisor.start(node, SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
 *     .withChildren(pool2.childSpec()));
 * }
 *
 * <p>A worker that exits is {@link WorkerState#RESTARTING} until the supervisor has started its
 * replacement; one that the supervisor stopped ({@code terminateChild}) is {@link WorkerState#DOWN}
 * until restarted; when the supervisor itself stops (or gives up after too many restarts) every
 * worker is {@link WorkerState#DOWN}. A pool added to a tree follows its supervisor across
 * restarts.
 */
public interface WorkerPool<M> extends LoadBalancer<M> {

  /** The spec the pool was made from. */
  PoolSpec<M> spec();

  /** The pool's supervisor while it runs. */
  Optional<Pid> supervisor();

  /**
   * A child spec that starts this pool's supervisor under another supervisor (type supervisor, id
   * {@code "<name>-pool"}, infinite shutdown). Only for pools made with {@link
   * LoadBalancers#supervisedPool}; add it to one supervisor only.
   *
   * @throws IllegalStateException for a pool started by {@link LoadBalancers#pool}
   */
  ChildSpec childSpec();
}

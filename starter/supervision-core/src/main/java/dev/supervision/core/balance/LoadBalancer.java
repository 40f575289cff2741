package dev.supervision.core.balance;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ReplyTo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Picks one of a set of worker processes for each request, by a {@link BalanceStrategy}, and never
 * picks one that is down or restarting.
 *
 * {@snippet :
 * try (WorkerPool<PriceWorker.Message> pool = LoadBalancers.pool(node, "pricing", 4,
 *     PriceWorker::new, BalanceStrategy.ROUND_ROBIN)) {
 *   Price price = pool.call(replyTo -> new PriceWorker.Quote("ACME", replyTo));
 *   pool.cast(new PriceWorker.Refresh("ACME"));
 *   Pid next = pool.select(Duration.ofSeconds(1));
 * }
 * }
 *
 * <p><b>Health.</b> Membership follows the runtime live. A worker leaves the healthy set on the
 * thread that ends its process, before its supervisor learns of the exit; its replacement joins as
 * soon as its {@code init} has finished. Selection also checks that the chosen process is alive, so
 * once a worker's exit can be observed anywhere, it is never returned again.
 *
 * <table>
 *   <caption>With no healthy worker</caption>
 *   <tr><th>Method</th><th>Behaviour</th></tr>
 *   <tr><td>{@link #select()}, {@link #cast}</td><td>{@link NoWorkerAvailableException} at
 *   once</td></tr>
 *   <tr><td>{@link #select(Duration)}</td><td>waits, without spinning, for a worker to join;
 *   {@link NoWorkerAvailableException} after the timeout</td></tr>
 *   <tr><td>{@link #call(Function, Duration)}</td><td>waits for a worker within the timeout, then
 *   calls it with what is left of the timeout</td></tr>
 * </table>
 *
 * <p><b>Threading.</b> Selection is lock-free: a read of an immutable array of healthy workers
 * (swapped atomically on membership changes) plus one atomic increment for round robin. All methods
 * are thread-safe. Dispatch counts count selections, whether or not the request then succeeds.
 *
 * @param <M> the workers' protocol
 */
public interface LoadBalancer<M> extends AutoCloseable {

  /** The name given at creation, for logs and metrics. */
  String name();

  /** How workers are picked. */
  BalanceStrategy strategy();

  /**
   * A healthy worker, chosen by the strategy.
   *
   * @throws NoWorkerAvailableException at once if no worker is up
   * @throws IllegalStateException if the balancer is closed
   */
  Pid select();

  /**
   * A healthy worker, waiting up to {@code timeout} for one to come up.
   *
   * @throws NoWorkerAvailableException if none came up in time, or the thread was interrupted
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  Pid select(Duration timeout);

  /**
   * Calls a selected worker with {@code GenServer}'s default timeout of 5 seconds, which bounds the
   * wait for a worker and for the reply together.
   *
   * @see #call(Function, Duration)
   */
  <R extends @Nullable Object> R call(Function<? super ReplyTo<R>, ? extends M> request);

  /**
   * Calls a selected worker ({@link dev.supervision.core.server.ServerRef#call}); {@code timeout}
   * bounds the wait for a worker and for the reply together. If the selected worker exits before
   * the request is delivered ({@code CallException.NoProc}), another one is selected; a request
   * that was delivered is never sent twice.
   *
   * @throws NoWorkerAvailableException if no worker came up within the timeout
   * @throws dev.supervision.core.server.CallException as {@code ServerRef.call} does
   */
  <R extends @Nullable Object> R call(
      Function<? super ReplyTo<R>, ? extends M> request, Duration timeout);

  /**
   * Casts {@code message} to a selected worker ({@link
   * dev.supervision.core.server.ServerRef#cast}).
   *
   * @throws NoWorkerAvailableException at once if no worker is up
   */
  void cast(M message);

  /** Every worker, healthy or not, in index order. */
  List<WorkerInfo> workers();

  /** Selections per worker id, in index order. */
  Map<String, Long> dispatchCounts();

  /** Total selections since creation. */
  long dispatches();

  /**
   * Stops balancing: later selections throw {@link IllegalStateException}. A pool started by {@link
   * LoadBalancers#pool} also stops its supervisor and workers; a balancer over a registry key stops
   * following it. Idempotent.
   */
  @Override
  void close();
}

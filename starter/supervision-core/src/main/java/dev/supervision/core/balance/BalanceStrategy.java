package dev.supervision.core.balance;

/**
 * How a {@link LoadBalancer} picks among its healthy workers.
 *
 * <table>
 *   <caption>Strategies</caption>
 *   <tr><th></th><th>{@code ROUND_ROBIN}</th><th>{@code LEAST_LOADED}</th></tr>
 *   <tr><td>choice</td><td>the next worker in a fixed order, by a shared atomic counter</td>
 *   <td>the one with the shorter mailbox of two distinct workers drawn at random ("power of two
 *   choices")</td></tr>
 *   <tr><td>fairness</td><td>exact: while the healthy workers stay the same, any {@code k * N}
 *   consecutive selections, from any number of threads, give each of the {@code N} workers exactly
 *   {@code k}</td><td>none; load-driven</td></tr>
 *   <tr><td>cost</td><td>one atomic increment</td><td>two random numbers and two mailbox
 *   sizes</td></tr>
 *   <tr><td>best for</td><td>uniform requests</td><td>requests of uneven cost, or workers that
 *   block</td></tr>
 * </table>
 */
public enum BalanceStrategy {
  /** Each worker in turn (Spring Cloud LoadBalancer's round robin, without the random start). */
  ROUND_ROBIN,
  /** The less loaded, by mailbox depth, of two distinct workers drawn at random. */
  LEAST_LOADED
}

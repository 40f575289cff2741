package dev.supervision.core.balance;

import java.time.Duration;

/**
 * A {@link LoadBalancer} had no healthy worker: at once for {@link LoadBalancer#select()}, or for
 * the whole timeout of {@link LoadBalancer#select(Duration)}. Also thrown when a waiting thread is
 * interrupted (its interrupt flag is then set again).
 */
public final class NoWorkerAvailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String balancer;
  private final Duration waited;

  NoWorkerAvailableException(String balancer, Duration waited, String why) {
    super("load balancer '" + balancer + "' has no worker available" + why);
    this.balancer = balancer;
    this.waited = waited;
  }

  /** The balancer's name. */
  public String balancer() {
    return balancer;
  }

  /** How long the caller waited for a worker; zero for {@link LoadBalancer#select()}. */
  public Duration waited() {
    return waited;
  }
}

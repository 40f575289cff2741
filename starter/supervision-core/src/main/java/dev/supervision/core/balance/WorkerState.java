package dev.supervision.core.balance;

/** Where a worker of a {@link LoadBalancer} stands. Only {@code UP} workers are ever selected. */
public enum WorkerState {
  /** Its process is alive and it takes work. */
  UP,
  /**
   * Its process has exited and its supervisor is expected to start a new one; it takes no work
   * until the new one has started.
   */
  RESTARTING,
  /**
   * Not running and not expected back: its supervisor stopped it ({@code terminateChild}; a {@code
   * restartChild} brings it back), the pool's supervisor is not running, or the pool was closed.
   */
  DOWN
}

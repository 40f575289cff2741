package dev.supervision.core.supervisor;

/** Where a child stands. */
public enum ChildState {
  /** Its process is alive. */
  RUNNING,
  /** A restart failed and is being retried; it has no process. */
  RESTARTING,
  /**
   * It exited and waits out its {@link Backoff} before its restart; it has no process. Calls to it
   * fail with {@code NoProc} and load balancers skip it.
   */
  BACKING_OFF,
  /**
   * Not running and not being restarted: terminated with {@code terminateChild}, or a transient
   * child that exited cleanly. Its spec is kept.
   */
  STOPPED
}

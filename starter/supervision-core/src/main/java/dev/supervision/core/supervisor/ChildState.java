package dev.supervision.core.supervisor;

/** Where a child stands. */
public enum ChildState {
  /** Its process is alive. */
  RUNNING,
  /** A restart failed and is being retried; it has no process. */
  RESTARTING,
  /**
   * Not running and not being restarted: terminated with {@code terminateChild}, or a transient
   * child that exited cleanly. Its spec is kept.
   */
  STOPPED
}

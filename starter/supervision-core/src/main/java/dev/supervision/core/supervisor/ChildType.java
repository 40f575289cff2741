package dev.supervision.core.supervisor;

/** Whether a child is a worker or a supervisor; it sets the default shutdown. */
public enum ChildType {
  /** A worker: default shutdown 5 seconds. */
  WORKER,
  /** A supervisor: default shutdown infinity, so that its own children can stop in order. */
  SUPERVISOR
}

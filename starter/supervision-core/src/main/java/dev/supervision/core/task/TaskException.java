package dev.supervision.core.task;

import dev.supervision.core.process.ExitReason;
import java.time.Duration;

/** A task's result could not be had: it exited, it timed out, or the wait was interrupted. */
public abstract sealed class TaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TaskException(String message) {
    super(message);
  }

  /** The task exited without a value. */
  public static final class Exited extends TaskException {
    private static final long serialVersionUID = 1L;
    private final transient ExitReason reason;

    Exited(ExitReason reason) {
      super("task exited: " + reason);
      this.reason = reason;
      if (reason instanceof ExitReason.Crashed crashed) {
        initCause(crashed.error());
      }
    }

    /** Why it exited. */
    public ExitReason reason() {
      return reason;
    }
  }

  /** No result within the timeout. */
  public static final class Timeout extends TaskException {
    private static final long serialVersionUID = 1L;

    Timeout(Duration timeout) {
      super("task did not finish within " + timeout);
    }
  }

  /** The waiting thread was interrupted; its interrupt flag is set again. */
  public static final class Interrupted extends TaskException {
    private static final long serialVersionUID = 1L;

    Interrupted() {
      super("interrupted while awaiting a task");
    }
  }
}

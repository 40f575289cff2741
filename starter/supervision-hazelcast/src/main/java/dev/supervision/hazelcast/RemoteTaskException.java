package dev.supervision.hazelcast;

import dev.supervision.core.process.ExitReason;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A task run on another member ({@link RemoteTasks}) gave no value: it exited, its member was lost,
 * no answer came in time, no {@code RemoteTasks} of that name runs there, or the wait was
 * interrupted. Each is its own subclass, for an exhaustive {@code switch}.
 */
public abstract sealed class RemoteTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RemoteTaskException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * The task exited without a value: it threw (a {@code Crashed} reason), or was killed or shut
   * down on its member. A crash's exception is the cause when it could be sent back, else a {@link
   * RemoteFailure} with its class name and message.
   */
  public static final class Exited extends RemoteTaskException {
    private static final long serialVersionUID = 1L;
    private final transient ExitReason reason;

    Exited(String member, ExitReason reason) {
      super(
          "task on " + member + " exited: " + reason,
          reason instanceof ExitReason.Crashed crashed ? crashed.error() : null);
      this.reason = reason;
    }

    /** Why it exited. */
    public ExitReason reason() {
      return reason;
    }

    /** The class of the exception the task threw, or {@code null} if it did not crash. */
    public @Nullable String errorClassName() {
      return switch (reason) {
        case ExitReason.Crashed crashed ->
            crashed.error() instanceof RemoteFailure remote
                ? remote.className()
                : crashed.error().getClass().getName();
        case ExitReason.Normal n -> null;
        case ExitReason.Shutdown s -> null;
        case ExitReason.Killed k -> null;
        case ExitReason.NoProc p -> null;
      };
    }

    /** The message of the exception the task threw, or {@code null} if it did not crash. */
    public @Nullable String errorMessage() {
      return reason instanceof ExitReason.Crashed crashed
          ? crashed.error() instanceof RemoteFailure remote
              ? remote.originalMessage()
              : crashed.error().getMessage()
          : null;
    }
  }

  /**
   * The member was not in the cluster when the task was sent, or left before the task answered
   * (OTP's {@code {nodedown, Node}}): the task may or may not have run.
   */
  public static final class NodeDown extends RemoteTaskException {
    private static final long serialVersionUID = 1L;
    private final String member;

    NodeDown(String member) {
      super("member " + member + " is down: the task may or may not have run", null);
      this.member = member;
    }

    /** The member that went down, as the cluster names it. */
    public String member() {
      return member;
    }
  }

  /** No answer within the timeout; the task was asked to stop (killed) on its member. */
  public static final class Timeout extends RemoteTaskException {
    private static final long serialVersionUID = 1L;
    private final Duration timeout;

    Timeout(String member, Duration timeout) {
      super("task on " + member + " did not finish within " + timeout + "; it was killed", null);
      this.timeout = timeout;
    }

    /** The timeout that passed. */
    public Duration timeout() {
      return timeout;
    }
  }

  /** No {@code RemoteTasks} of that name runs on the member: start it on every member. */
  public static final class NotStarted extends RemoteTaskException {
    private static final long serialVersionUID = 1L;

    NotStarted(String name, String member) {
      super("no remote tasks '" + name + "' run on member " + member + "; start them there", null);
    }
  }

  /** The waiting thread was interrupted; its interrupt flag is set again. */
  public static final class Interrupted extends RemoteTaskException {
    private static final long serialVersionUID = 1L;

    Interrupted() {
      super("interrupted while awaiting a remote task", null);
    }
  }
}

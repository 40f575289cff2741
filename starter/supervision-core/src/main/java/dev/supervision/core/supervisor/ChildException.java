package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;

/**
 * A supervisor refused a child operation. Each OTP error is its own subclass:
 *
 * <table>
 *   <caption>Child operation errors</caption>
 *   <tr><th>Subclass</th><th>OTP</th><th>When</th></tr>
 *   <tr><td>{@link AlreadyStarted}</td><td>{@code {already_started, Pid}}</td><td>startChild
 *   with the id of a running child, or whose start found the child's name registered to another
 *   live process</td></tr>
 *   <tr><td>{@link AlreadyPresent}</td><td>{@code already_present}</td><td>startChild with the
 *   id of a child that is not running</td></tr>
 *   <tr><td>{@link NotFound}</td><td>{@code not_found}</td><td>no child with that id or
 *   pid</td></tr>
 *   <tr><td>{@link Running}</td><td>{@code running}</td><td>restartChild or deleteChild of a
 *   running child</td></tr>
 *   <tr><td>{@link Restarting}</td><td>{@code restarting}</td><td>restartChild or deleteChild of
 *   a child whose restart is being retried</td></tr>
 *   <tr><td>{@link MaxChildren}</td><td>{@code max_children}</td><td>a dynamic supervisor is
 *   full</td></tr>
 *   <tr><td>{@link StartFailed}</td><td>{@code {error, Reason}}</td><td>the child's start
 *   function threw or returned no process; the cause is attached</td></tr>
 * </table>
 */
public abstract sealed class ChildException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ChildException(String message, Throwable cause) {
    super(message, cause);
  }

  ChildException(String message) {
    super(message);
  }

  /** A child with that id is running, or the child's start found its name taken. */
  public static final class AlreadyStarted extends ChildException {
    private static final long serialVersionUID = 1L;
    private final transient Pid pid;

    AlreadyStarted(String id, Pid pid) {
      super("child '" + id + "' is already started as " + pid);
      this.pid = pid;
    }

    /* The child's start found its name held by `holder` (OTP unwraps that start error). */
    AlreadyStarted(String id, Pid holder, Throwable cause) {
      super("child '" + id + "' did not start: its name is held by " + holder, cause);
      this.pid = holder;
    }

    /** The running child's pid, or the process holding the name the child's start wanted. */
    public Pid pid() {
      return pid;
    }
  }

  /** A child with that id exists but is not running. */
  public static final class AlreadyPresent extends ChildException {
    private static final long serialVersionUID = 1L;

    AlreadyPresent(String id) {
      super("child '" + id + "' is already present (not running); restart or delete it first");
    }
  }

  /** No such child. */
  public static final class NotFound extends ChildException {
    private static final long serialVersionUID = 1L;

    NotFound(Object idOrPid) {
      super("no child " + (idOrPid instanceof String ? "'" + idOrPid + "'" : idOrPid.toString()));
    }
  }

  /** The child is running. */
  public static final class Running extends ChildException {
    private static final long serialVersionUID = 1L;

    Running(String id) {
      super("child '" + id + "' is running; terminate it first");
    }
  }

  /** The child's restart is being retried. */
  public static final class Restarting extends ChildException {
    private static final long serialVersionUID = 1L;

    Restarting(String id) {
      super("child '" + id + "' is restarting");
    }
  }

  /** The dynamic supervisor has its maximum number of children. */
  public static final class MaxChildren extends ChildException {
    private static final long serialVersionUID = 1L;

    MaxChildren(String supervisor, int max) {
      super(
          "dynamic supervisor '"
              + supervisor
              + "' already has its maximum of "
              + max
              + " children");
    }
  }

  /** The child's start function failed. */
  public static final class StartFailed extends ChildException {
    private static final long serialVersionUID = 1L;

    StartFailed(String id, Throwable cause) {
      super("child '" + id + "' failed to start: " + cause.getMessage(), cause);
    }
  }
}

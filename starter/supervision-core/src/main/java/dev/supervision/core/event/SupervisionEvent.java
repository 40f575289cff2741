package dev.supervision.core.event;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a supervision tree or a registry. Events are named in the past tense
 * and published synchronously, in order, on the thread of the process where they happened (normally
 * the supervisor's).
 *
 * <p>{@code supervisor} is the supervisor's name from its spec; {@code child} is the child's id
 * (for dynamic supervisors, the id of the spec the child was started from, shared by all of its
 * instances, so that metrics can be tagged with it without growing without bound).
 */
public sealed interface SupervisionEvent {

  /** When it happened, by the wall clock. */
  Instant at();

  /** A supervisor finished starting its initial children. */
  record SupervisorStarted(Instant at, String supervisor, Pid pid, String strategy)
      implements SupervisionEvent {}

  /** A supervisor exited; {@code reason} is {@link ExitReason.Shutdown} after it gave up. */
  record SupervisorStopped(Instant at, String supervisor, Pid pid, ExitReason reason)
      implements SupervisionEvent {}

  /** A child was started for the first time, or again through {@code restartChild}. */
  record ChildStarted(Instant at, String supervisor, String child, Pid pid)
      implements SupervisionEvent {}

  /**
   * A child's start (first, through {@code startChild} or {@code restartChild}, or an automatic
   * restart) ended in ignore (OTP's {@code ignore}): no process runs for it.
   *
   * @param kept whether the supervisor kept the spec, not running (a permanent or transient child
   *     of a static supervisor), rather than dropping it
   */
  record ChildIgnored(Instant at, String supervisor, String child, boolean kept)
      implements SupervisionEvent {}

  /**
   * A child exited, by itself or because its supervisor terminated it.
   *
   * @param terminated whether the supervisor stopped it (terminateChild, a bystander in a
   *     one-for-all or rest-for-one restart, the supervisor's own shutdown) rather than the child
   *     exiting or crashing by itself; a terminated child's {@code killed} is not a failure
   * @param removed whether the supervisor dropped the child with this exit, so that only a new
   *     start brings it back: a temporary child, or a dynamic supervisor's child that was
   *     terminated or that its restart type does not restart
   */
  record ChildExited(
      Instant at,
      String supervisor,
      String child,
      Pid pid,
      ExitReason reason,
      boolean terminated,
      boolean removed)
      implements SupervisionEvent {}

  /**
   * A child was restarted after an exit that its restart type says to restart (or as a bystander of
   * a one-for-all or rest-for-one restart).
   *
   * @param restarts how many times this child has been restarted so far
   */
  record ChildRestarted(Instant at, String supervisor, String child, Pid pid, int restarts)
      implements SupervisionEvent {}

  /**
   * A crashed child waits out its backoff before its restart (see {@code Backoff}).
   *
   * @param delay how long it waits
   */
  record ChildBackingOff(Instant at, String supervisor, String child, Duration delay)
      implements SupervisionEvent {}

  /** Starting a child failed; a restart will be retried, a first start reports the error. */
  record ChildStartFailed(Instant at, String supervisor, String child, Throwable error)
      implements SupervisionEvent {}

  /**
   * A supervisor gave up: more than its maximum restarts happened within its period. It terminates
   * its children and exits with {@code shutdown}, escalating to its own supervisor.
   */
  record IntensityExceeded(
      Instant at,
      String supervisor,
      Pid pid,
      String child,
      int maxRestarts,
      java.time.Duration within)
      implements SupervisionEvent {}

  /**
   * A process registered under a key (Elixir's listener message {@code {:register, registry, key,
   * pid, value}}).
   *
   * @param value the value it registered with; {@code null} for a via name without a value
   */
  record EntryRegistered(Instant at, String registry, Object key, Pid pid, @Nullable Object value)
      implements SupervisionEvent {}

  /**
   * A registry entry went away: unregistered, or its process exited (Elixir's {@code {:unregister,
   * registry, key, pid}}, which Elixir sends for explicit unregistrations only).
   *
   * @param value the value the entry held when it was removed (after any {@code updateValue})
   */
  record EntryRemoved(Instant at, String registry, Object key, Pid pid, @Nullable Object value)
      implements SupervisionEvent {}
}

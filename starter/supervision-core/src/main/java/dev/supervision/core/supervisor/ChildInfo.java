package dev.supervision.core.supervisor;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Name;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One child as its supervisor sees it (OTP's {@code which_children} entry, with more detail).
 *
 * @param id the child's id
 * @param pid its process while running, else null
 * @param state running, restarting or stopped
 * @param type worker or supervisor
 * @param restart its restart type
 * @param shutdown its shutdown
 * @param restarts how many times it has been restarted
 * @param lastFailure its last abnormal exit, if any
 * @param backoff while {@link ChildState#BACKING_OFF}: how much longer it waits, else null
 * @param nextAttempt while {@link ChildState#BACKING_OFF}: when its restart is due (wall clock,
 *     estimated from the supervisor's clock), else null
 * @param name the name its latest process registered under (a server started with {@code
 *     StartOptions.named}), also while it is restarting; null if it registered under none. Under a
 *     dynamic supervisor, whose children may share their spec's id, it tells them apart.
 */
public record ChildInfo(
    String id,
    @Nullable Pid pid,
    ChildState state,
    ChildType type,
    Restart restart,
    Shutdown shutdown,
    int restarts,
    @Nullable Failure lastFailure,
    @Nullable Duration backoff,
    @Nullable Instant nextAttempt,
    @Nullable Name name) {

  /** A child that is not backing off and registered under no name. */
  public ChildInfo(
      String id,
      @Nullable Pid pid,
      ChildState state,
      ChildType type,
      Restart restart,
      Shutdown shutdown,
      int restarts,
      @Nullable Failure lastFailure) {
    this(id, pid, state, type, restart, shutdown, restarts, lastFailure, null, null, null);
  }

  /** The pid, if running. */
  public Optional<Pid> runningPid() {
    return Optional.ofNullable(pid);
  }

  /**
   * An abnormal exit.
   *
   * @param reason the exit reason
   * @param at when it happened
   */
  public record Failure(ExitReason reason, Instant at) {}
}

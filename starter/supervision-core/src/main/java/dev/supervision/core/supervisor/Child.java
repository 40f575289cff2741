package dev.supervision.core.supervisor;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.Ticker;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/* A supervisor's record of one child. Owned by the supervisor's process; never shared. */
final class Child {
  private static final ChildStart NOT_KEPT =
      () -> {
        throw new IllegalStateException(
            "the start function of a temporary child is not kept: it is never restarted");
      };

  ChildSpec spec;
  @Nullable Pid pid;
  /* The name its latest process registered under; kept while it is restarting. */
  @Nullable Name name;
  ChildState state = ChildState.STOPPED;
  int restarts;
  ChildInfo.@Nullable Failure lastFailure;
  /* Backoff: restarts in a row since the child last ran long enough, when it last started (ticker
   * nanos), and the pending restart's timer and due time (ticker nanos). */
  int backoffAttempts;
  long startedAtNanos;
  Ticker.@Nullable Timer backoffTimer;
  long nextAttemptNanos;
  /* The reporter's record of this child's error reports; null until the first one. */
  Reporter.@Nullable ChildLog log;

  Child(ChildSpec spec) {
    this.spec = spec;
  }

  /*
   * Called once the child runs. A temporary child is never restarted, so, as OTP (which saves its
   * start as {M, F, undefined}), the supervisor keeps nothing of its start function and of what
   * that captured: only what stopping and listing it needs (id, restart, shutdown, type).
   */
  void forgetStartIfTemporary() {
    if (spec.restart() == Restart.TEMPORARY && spec.start() != NOT_KEPT) {
      spec =
          new ChildSpec(
              spec.id(),
              NOT_KEPT,
              spec.restart(),
              spec.shutdown(),
              spec.type(),
              spec.significant(),
              spec.backoff());
    }
  }

  String id() {
    return spec.id();
  }

  /* `now` is the supervisor's clock, to tell when a pending restart is due. */
  ChildInfo info(long now) {
    Duration delay = null;
    Instant next = null;
    if (state == ChildState.BACKING_OFF) {
      long left = Math.max(0, nextAttemptNanos - now);
      delay = Duration.ofNanos(left);
      next = Instant.now().plusNanos(left);
    }
    return new ChildInfo(
        spec.id(),
        pid,
        state,
        spec.type(),
        spec.restart(),
        spec.shutdown(),
        restarts,
        lastFailure,
        delay,
        next,
        name);
  }
}

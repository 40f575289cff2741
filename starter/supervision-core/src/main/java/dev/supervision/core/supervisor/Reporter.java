package dev.supervision.core.supervisor;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Name;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.process.Ticker;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/*
 * Publishes a supervisor's events, building them only when someone listens, and logs OTP's
 * supervisor reports at ERROR, on the logger named after Supervisor:
 *
 *   child_terminated  a child exited by itself, and OTP would report it: any exit of a permanent
 *                     child, an abnormal one (not normal or shutdown) of any other
 *   start_error       an initial start or a restart failed (a startChild or restartChild that
 *                     fails is not reported: its caller gets the error, as in OTP)
 *   shutdown          the supervisor gave up: reached_max_restart_intensity
 *   shutdown_error    a child the supervisor stopped ended otherwise than asked: not shutdown (a
 *                     transient or temporary child may also end normal), or killed after its
 *                     shutdown timeout
 *
 * Each names the supervisor, the child's id, the name its process registered under and its pid,
 * with the reason; the exception, stack trace included, goes to the logger. OTP's crash report,
 * which the crashing process logs itself, is folded into child_terminated: one record per crash.
 *
 * A child in a crash loop cannot flood the log: at most REPORTS_PER_WINDOW reports per child per
 * REPORT_WINDOW (node ticker time), the last of them saying that more will be suppressed; the next
 * report after the window, or the supervisor's exit, first says how many were. The give-up report
 * is never suppressed.
 */
final class Reporter {
  static final int REPORTS_PER_WINDOW = 5;
  static final Duration REPORT_WINDOW = Duration.ofMinutes(1);

  private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());
  private static final long WINDOW_NANOS = REPORT_WINDOW.toNanos();

  private final EventBus bus;
  private final String supervisor;
  private final boolean dynamic;
  private final Ticker ticker;

  Reporter(EventBus bus, String supervisor, boolean dynamic, Ticker ticker) {
    this.bus = bus;
    this.supervisor = supervisor;
    this.dynamic = dynamic;
    this.ticker = ticker;
  }

  /* A child's reports: the rate limit's window. */
  static final class ChildLog {
    private long windowStart;
    private int reported;
    private int suppressed;
  }

  /*
   * Called at the end of a supervisor's init: lists it in the node's directory, arranges for it to
   * be removed and SupervisorStopped published whenever it exits (even when killed, when no
   * terminate runs), and publishes SupervisorStarted.
   */
  void announce(ProcessContext process, @Nullable Pid parent, boolean dynamic, String strategy) {
    Pid me = process.self();
    SupervisorDirectory directory = SupervisorDirectory.of(process.node());
    directory.add(new SupervisorDirectory.Entry(supervisor, me, parent, dynamic));
    process
        .node()
        .monitor(
            me,
            (pid, reason) -> {
              directory.remove(pid);
              stopped(pid, reason);
            });
    started(me, strategy);
  }

  void started(Pid pid, String strategy) {
    if (bus.hasListeners()) {
      bus.publish(new SupervisionEvent.SupervisorStarted(Instant.now(), supervisor, pid, strategy));
    }
  }

  void stopped(Pid pid, ExitReason reason) {
    if (bus.hasListeners()) {
      bus.publish(new SupervisionEvent.SupervisorStopped(Instant.now(), supervisor, pid, reason));
    }
  }

  void childStarted(Child child, Pid pid) {
    if (bus.hasListeners()) {
      bus.publish(new SupervisionEvent.ChildStarted(Instant.now(), supervisor, child.id(), pid));
    }
  }

  void childIgnored(Child child, boolean kept) {
    if (bus.hasListeners()) {
      bus.publish(new SupervisionEvent.ChildIgnored(Instant.now(), supervisor, child.id(), kept));
    }
  }

  void childExited(Child child, Pid pid, ExitReason reason) {
    if (child.spec.restart() == Restart.PERMANENT || !reason.isClean()) {
      report(child, "child_terminated", pid, reason.toString(), errorOf(reason));
    }
    exited(child, pid, reason, false);
  }

  void childTerminated(Child child, Pid pid, ExitReason reason) {
    if (!asked(child, reason)) {
      report(child, "shutdown_error", pid, reason.toString(), errorOf(reason));
    }
    exited(child, pid, reason, true);
  }

  /* Whether a child stopped by its supervisor ended as asked (OTP's shutdown/2 and its callers). */
  private static boolean asked(Child child, ExitReason reason) {
    return switch (reason) {
      case ExitReason.Shutdown s -> true;
      case ExitReason.Killed k -> child.spec.shutdown() instanceof Shutdown.BrutalKill;
      case ExitReason.Normal n -> child.spec.restart() != Restart.PERMANENT;
      case ExitReason.NoProc p -> true; // it had ended already; its own exit is reported
      case ExitReason.Crashed c -> false;
    };
  }

  private static @Nullable Throwable errorOf(ExitReason reason) {
    return reason instanceof ExitReason.Crashed crashed ? crashed.error() : null;
  }

  private void exited(Child child, Pid pid, ExitReason reason, boolean terminated) {
    if (bus.hasListeners()) {
      Restart restart = child.spec.restart();
      boolean removed =
          restart == Restart.TEMPORARY
              || (dynamic && (terminated || !restart.restartsAfter(reason)));
      bus.publish(
          new SupervisionEvent.ChildExited(
              Instant.now(), supervisor, child.id(), pid, reason, terminated, removed));
    }
  }

  void childRestarted(Child child, Pid pid) {
    if (bus.hasListeners()) {
      bus.publish(
          new SupervisionEvent.ChildRestarted(
              Instant.now(), supervisor, child.id(), pid, child.restarts));
    }
  }

  void childBackingOff(Child child, Duration delay) {
    if (bus.hasListeners()) {
      bus.publish(
          new SupervisionEvent.ChildBackingOff(Instant.now(), supervisor, child.id(), delay));
    }
  }

  /*
   * A start that was the supervisor's own idea failed (an initial child, a restart): reported and
   * published. One asked for by a caller (startChild, restartChild) is only published: the caller
   * gets the error, as in OTP.
   */
  void startError(Child child, Throwable error) {
    report(child, "start_error", null, error.toString(), error);
    childStartFailed(child, error);
  }

  void childStartFailed(Child child, Throwable error) {
    if (bus.hasListeners()) {
      bus.publish(
          new SupervisionEvent.ChildStartFailed(Instant.now(), supervisor, child.id(), error));
    }
  }

  void intensityExceeded(Pid pid, Child child, int maxRestarts, Duration within) {
    if (LOG.isLoggable(Level.ERROR)) {
      Name name = child.name;
      LOG.log(
          Level.ERROR,
          "supervisor '"
              + supervisor
              + "' "
              + pid
              + " shutdown: reached_max_restart_intensity (more than "
              + maxRestarts
              + " restarts within "
              + within
              + "); the last to fail was child '"
              + child.id()
              + "'"
              + (name == null ? "" : " registered as " + name)
              + "; its other children are stopped and it exits with shutdown");
    }
    if (bus.hasListeners()) {
      bus.publish(
          new SupervisionEvent.IntensityExceeded(
              Instant.now(), supervisor, pid, child.id(), maxRestarts, within));
    }
  }

  /* Logs one report about `child`, within its rate limit. Runs on the supervisor's process. */
  private void report(
      Child child, String context, @Nullable Pid pid, String reason, @Nullable Throwable error) {
    if (!LOG.isLoggable(Level.ERROR)) {
      return;
    }
    long now = ticker.nanoTime();
    ChildLog log = child.log;
    if (log == null) {
      log = new ChildLog();
      log.windowStart = now;
      child.log = log;
    } else if (now - log.windowStart > WINDOW_NANOS) {
      flushSuppressed(child);
      log.windowStart = now;
      log.reported = 0;
    }
    if (log.reported >= REPORTS_PER_WINDOW) {
      log.suppressed++;
      return;
    }
    log.reported++;
    StringBuilder message =
        new StringBuilder("supervisor '")
            .append(supervisor)
            .append("' ")
            .append(context)
            .append(": child '")
            .append(child.id())
            .append('\'');
    if (child.name != null) {
      message.append(" registered as ").append(child.name);
    }
    if (pid != null) {
      message.append(", pid ").append(pid);
    }
    message.append(", reason: ").append(reason);
    if (log.reported == REPORTS_PER_WINDOW) {
      message
          .append(" (")
          .append(REPORTS_PER_WINDOW)
          .append(" reports about this child within ")
          .append(REPORT_WINDOW)
          .append(": further ones are suppressed until the window ends)");
    }
    if (error == null) {
      LOG.log(Level.ERROR, message.toString());
    } else {
      LOG.log(Level.ERROR, message.toString(), error);
    }
  }

  /* Says how many reports about `child` were suppressed, if any; at the end of a window or exit. */
  void flushSuppressed(Child child) {
    ChildLog log = child.log;
    if (log == null || log.suppressed == 0) {
      return;
    }
    int n = log.suppressed;
    log.suppressed = 0;
    LOG.log(
        Level.ERROR,
        "supervisor '"
            + supervisor
            + "': "
            + n
            + " more reports about child '"
            + child.id()
            + "'"
            + (child.name == null ? "" : " registered as " + child.name)
            + " were suppressed");
  }
}

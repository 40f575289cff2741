package dev.supervision.core.supervisor;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/* Publishes a supervisor's events, building them only when someone listens. */
final class Reporter {
  private final EventBus bus;
  private final String supervisor;

  Reporter(EventBus bus, String supervisor) {
    this.bus = bus;
    this.supervisor = supervisor;
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
    exited(child, pid, reason, false);
  }

  void childTerminated(Child child, Pid pid, ExitReason reason) {
    exited(child, pid, reason, true);
  }

  private void exited(Child child, Pid pid, ExitReason reason, boolean terminated) {
    if (bus.hasListeners()) {
      bus.publish(
          new SupervisionEvent.ChildExited(
              Instant.now(), supervisor, child.id(), pid, reason, terminated));
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

  void childStartFailed(Child child, Throwable error) {
    if (bus.hasListeners()) {
      bus.publish(
          new SupervisionEvent.ChildStartFailed(Instant.now(), supervisor, child.id(), error));
    }
  }

  void intensityExceeded(Pid pid, Child child, int maxRestarts, Duration within) {
    if (bus.hasListeners()) {
      bus.publish(
          new SupervisionEvent.IntensityExceeded(
              Instant.now(), supervisor, pid, child.id(), maxRestarts, within));
    }
  }
}

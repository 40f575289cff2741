package dev.supervision.core.supervisor;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.Info;
import dev.supervision.core.server.StartException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/*
 * A static supervisor (OTP's supervisor with one_for_one, one_for_all or rest_for_one), written as
 * a server that traps exits. `children` is in start order; it is only touched on this process's
 * thread.
 *
 * Group restarts (one_for_all, rest_for_one) terminate the affected siblings in reverse start
 * order, drop the temporary ones, then start the group in order. If a start fails, that child
 * alone is marked RESTARTING and a Retry of it is sent to self, so that calls and shutdown can
 * interleave; the members after it stay STOPPED with no pid, those before it keep running. As in
 * OTP (restart_multiple_children, then '$gen_restart'), the retry restarts the failed child as if
 * it had just exited: one_for_all terminates and restarts the whole group, rest_for_one the failed
 * child and those after it; every retry counts against the intensity. A retry finding the child no
 * longer RESTARTING (terminated, or started by restartChild) does nothing.
 */
final class SupervisorServer extends SupervisorBase {
  private static final System.Logger LOG = System.getLogger(SupervisorServer.class.getName());
  private final SupervisorSpec spec;
  private final ArrayList<Child> children = new ArrayList<>();

  SupervisorServer(SupervisorSpec spec, @Nullable Pid parent) {
    super(spec.name(), spec.strategy(), false, spec.maxRestarts(), spec.within(), parent);
    this.spec = spec;
  }

  @Override
  void startInitialChildren() throws Exception {
    for (ChildSpec childSpec : spec.children()) {
      Child child = new Child(childSpec);
      try {
        startNew(child);
      } catch (Throwable e) {
        Children.rethrowIfFatal(self(), e);
        reporter().startError(child, e);
        stopAll();
        throw new StartException(
            "supervisor '" + spec.name() + "' failed to start child '" + child.id() + "': " + e, e);
      }
      if (child.pid != null || keptWhenIgnored(child)) {
        children.add(child);
      }
    }
  }

  /* Starts a child that is not running; it stays STOPPED, with no pid, if its start ignored. */
  private void startNew(Child child) throws Exception {
    Pid pid = launch(child);
    if (pid != null) {
      running(child, pid);
      child.forgetStartIfTemporary();
      reporter().childStarted(child, pid);
    }
  }

  /*
   * Runs a child's start function. If the start ended in ignore, the child is left STOPPED with no
   * pid, the ignore is reported, and the result is null.
   */
  private @Nullable Pid launch(Child child) throws Exception {
    Pid pid = Children.start(self(), child.spec, null);
    if (pid == null) {
      child.pid = null;
      child.state = ChildState.STOPPED;
      reporter().childIgnored(child, keptWhenIgnored(child));
    }
    return pid;
  }

  /* OTP: an ignored start keeps the spec of a permanent or transient child, not a temporary one. */
  private static boolean keptWhenIgnored(Child child) {
    return child.spec.restart() != Restart.TEMPORARY;
  }

  @Override
  Backoff defaultBackoff() {
    return spec.backoff();
  }

  @Override
  Object answer(Request request) {
    return switch (request) {
      case Request.StartChild(ChildSpec childSpec) -> startChild(childSpec);
      case Request.TerminateChild(String id) -> terminateChild(id);
      case Request.TerminateChildPid(Pid pid) -> new ChildException.NotFound(pid);
      case Request.RestartChild(String id) -> restartChild(id);
      case Request.DeleteChild(String id) -> deleteChild(id);
      case Request.WhichChild(String id) -> info(find(id));
      case Request.WhichChildPid(Pid pid) -> info(find(pid));
      case Request.GetChildSpec(String id) -> specOf(find(id));
      case Request.GetChildSpecPid(Pid pid) -> specOf(find(pid));
      case Request.Which w -> infos(children);
      case Request.Count c -> count();
      case Request.Inspect i -> snapshot(infos(children));
    };
  }

  private @Nullable Child find(String id) {
    for (Child child : children) {
      if (child.id().equals(id)) {
        return child;
      }
    }
    return null;
  }

  private @Nullable Child find(Pid pid) {
    for (Child child : children) {
      if (child.pid == pid) {
        return child;
      }
    }
    return null;
  }

  private Object startChild(ChildSpec childSpec) {
    try {
      spec.requireSignificantAllowed(childSpec);
    } catch (InvalidSpecException e) {
      return e;
    }
    Child existing = find(childSpec.id());
    if (existing != null) {
      Pid pid = existing.pid;
      return pid != null
          ? new ChildException.AlreadyStarted(existing.id(), pid)
          : new ChildException.AlreadyPresent(existing.id());
    }
    Child child = new Child(childSpec);
    try {
      startNew(child);
    } catch (Throwable e) {
      Children.rethrowIfFatal(self(), e);
      reporter().childStartFailed(child, e);
      return Children.startFailed(child.id(), e);
    }
    Pid pid = child.pid;
    if (pid == null) {
      if (keptWhenIgnored(child)) {
        children.add(child);
      }
      return ignored(child);
    }
    children.add(child);
    return pid;
  }

  private Object terminateChild(String id) {
    Child child = find(id);
    if (child == null) {
      return new ChildException.NotFound(id);
    }
    cancelBackoffs(List.of(child));
    stopChild(child);
    if (child.spec.restart() == Restart.TEMPORARY) {
      children.remove(child);
    } else {
      child.state = ChildState.STOPPED;
    }
    return Request.Ok.INSTANCE;
  }

  private Object restartChild(String id) {
    Child child = find(id);
    if (child == null) {
      return new ChildException.NotFound(id);
    }
    return switch (child.state) {
      case RUNNING -> new ChildException.Running(id);
      case RESTARTING, BACKING_OFF -> new ChildException.Restarting(id);
      case STOPPED -> {
        try {
          startNew(child);
          Pid pid = child.pid;
          yield pid == null ? ignored(child) : pid;
        } catch (Throwable e) {
          Children.rethrowIfFatal(self(), e);
          reporter().childStartFailed(child, e);
          yield new ChildException.StartFailed(id, e);
        }
      }
    };
  }

  private Object deleteChild(String id) {
    Child child = find(id);
    if (child == null) {
      return new ChildException.NotFound(id);
    }
    return switch (child.state) {
      case RUNNING -> new ChildException.Running(id);
      case RESTARTING, BACKING_OFF -> new ChildException.Restarting(id);
      case STOPPED -> {
        children.remove(child);
        yield Request.Ok.INSTANCE;
      }
    };
  }

  private ChildCounts count() {
    int active = 0;
    int supervisors = 0;
    for (Child child : children) {
      if (child.pid != null && child.pid.isAlive()) {
        active++;
      }
      if (child.spec.type() == ChildType.SUPERVISOR) {
        supervisors++;
      }
    }
    return new ChildCounts(children.size(), active, supervisors, children.size() - supervisors);
  }

  @Override
  public void handleInfo(Info info) {
    switch (info) {
      case Info.Exit exit -> {
        Pid from = exit.from();
        Child child = from == null ? null : find(from);
        if (child != null && from != null) {
          childExited(child, from, exit.reason());
        }
      }
      case Info.Message(Request.Retry retry) -> retry(retry.child());
      default -> {
        // Stale Down notices and stray messages are ignored, as OTP's supervisor does.
      }
    }
  }

  private void childExited(Child child, Pid pid, ExitReason reason) {
    child.pid = null;
    reporter().childExited(child, pid, reason);
    if (!reason.isClean()) {
      child.lastFailure = new ChildInfo.Failure(reason, Instant.now());
    }
    if (!child.spec.restart().restartsAfter(reason)) {
      if (child.spec.restart() == Restart.TEMPORARY) {
        children.remove(child);
      } else {
        child.state = ChildState.STOPPED;
      }
      if (child.spec.significant() && autoShutdownDue()) {
        LOG.log(
            System.Logger.Level.INFO,
            "supervisor ''{0}'' shuts down ({1}): significant child ''{2}'' exited {3}",
            spec.name(),
            spec.autoShutdown(),
            child.id(),
            reason);
        shutDown();
      }
      return;
    }
    Duration delay = backoffDelay(child);
    if (!delay.isZero()) {
      // Its group goes down now, as without a backoff; the restart, and its count, after it.
      groupFor(child);
      backOff(child, delay, new Request.Retry(child));
      return;
    }
    if (!admitRestart(child)) {
      return;
    }
    restartGroup(groupFor(child));
  }

  /* After a significant child ended for good: whether the auto-shutdown setting says to stop. */
  private boolean autoShutdownDue() {
    return switch (spec.autoShutdown()) {
      case NEVER -> false;
      case ANY_SIGNIFICANT -> true;
      case ALL_SIGNIFICANT -> {
        for (Child other : children) {
          // one being restarted has not ended for good (OTP keeps it as {restarting, Pid})
          if (other.spec.significant()
              && (other.pid != null
                  || other.state == ChildState.RESTARTING
                  || other.state == ChildState.BACKING_OFF)) {
            yield false;
          }
        }
        yield true;
      }
    };
  }

  /* Terminates the siblings the strategy takes down with `child`; returns who to start again. */
  private List<Child> groupFor(Child child) {
    int index = children.indexOf(child);
    List<Child> group =
        switch (spec.strategy()) {
          case ONE_FOR_ONE -> List.of(child);
          case ONE_FOR_ALL -> new ArrayList<>(children);
          case REST_FOR_ONE -> new ArrayList<>(children.subList(index, children.size()));
        };
    if (group.size() > 1) {
      for (int i = group.size() - 1; i >= 0; i--) {
        Child sibling = group.get(i);
        if (sibling != child && sibling.pid != null) {
          stopChild(sibling);
        }
      }
      List<Child> restartable = new ArrayList<>();
      for (Child member : group) {
        if (member != child && member.spec.restart() == Restart.TEMPORARY) {
          children.remove(member);
        } else {
          restartable.add(member);
        }
      }
      group = restartable;
    }
    return group;
  }

  private void restartGroup(List<Child> group) {
    for (int i = 0; i < group.size(); i++) {
      Child member = group.get(i);
      if (!children.contains(member)) {
        continue;
      }
      try {
        Pid pid = launch(member); // a temporary member is never restarted: ignored means kept
        if (pid != null) {
          restarted(member, pid);
        }
      } catch (Throwable e) {
        Children.rethrowIfFatal(self(), e);
        reporter().startError(member, e);
        for (Child later : group.subList(i + 1, group.size())) {
          later.state = ChildState.STOPPED; // no pid: stopped by groupFor, or the exited child
        }
        Duration delay = backoffDelay(member);
        if (delay.isZero()) {
          member.state = ChildState.RESTARTING;
          self().self().send(new Request.Retry(member));
        } else {
          backOff(member, delay, new Request.Retry(member));
        }
        return;
      }
    }
  }

  private void retry(Child child) {
    if (!children.contains(child)
        || (child.state != ChildState.RESTARTING && child.state != ChildState.BACKING_OFF)) {
      return;
    }
    if (admitRestart(child)) {
      restartGroup(groupFor(child));
    }
  }

  private void stopChild(Child child) {
    Pid pid = child.pid;
    if (pid == null) {
      return;
    }
    ExitReason reason = Children.stop(self(), pid, child.spec.shutdown());
    child.pid = null;
    child.state = ChildState.STOPPED;
    reporter().childTerminated(child, pid, reason);
  }

  private void stopAll() {
    for (int i = children.size() - 1; i >= 0; i--) {
      stopChild(children.get(i));
    }
  }

  @Override
  public void terminate(ExitReason reason) {
    cancelBackoffs(children);
    stopAll();
    for (Child child : children) {
      reporter().flushSuppressed(child);
    }
  }
}

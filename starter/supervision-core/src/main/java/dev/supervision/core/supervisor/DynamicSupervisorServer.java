package dev.supervision.core.supervisor;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.Info;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/*
 * A dynamic supervisor (Elixir's DynamicSupervisor): one-for-one over children started at run
 * time. `children` keeps start order (LinkedHashSet, O(1) removal); `byPid` finds a child from an
 * EXIT. Children that are restarting have no pid and stay in `children`, so they count against
 * maxChildren, as in Elixir. As in Elixir they also stay in `byPid` under the pid they last had
 * (recorded in `restartingFrom`), so that terminateChild with that pid stops the retries. On
 * termination all children are stopped at once.
 */
final class DynamicSupervisorServer extends SupervisorBase {
  private final DynamicSupervisorSpec spec;
  private final LinkedHashSet<Child> children = new LinkedHashSet<>();
  private final HashMap<Pid, Child> byPid = new HashMap<>();
  private final HashMap<Child, Pid> restartingFrom = new HashMap<>();

  DynamicSupervisorServer(DynamicSupervisorSpec spec, @Nullable Pid parent) {
    super(spec.name(), Strategy.ONE_FOR_ONE, true, spec.maxRestarts(), spec.within(), parent);
    this.spec = spec;
  }

  @Override
  Backoff defaultBackoff() {
    return spec.backoff();
  }

  @Override
  Object answer(Request request) {
    return switch (request) {
      case Request.StartChild(ChildSpec childSpec) -> startChild(childSpec);
      case Request.TerminateChildPid(Pid pid) -> terminateChild(pid);
      case Request.TerminateChild(String id) -> new ChildException.NotFound(id);
      case Request.RestartChild(String id) -> new ChildException.NotFound(id);
      case Request.DeleteChild(String id) -> new ChildException.NotFound(id);
      case Request.WhichChild(String id) -> Optional.empty();
      case Request.WhichChildPid(Pid pid) -> info(byPid.get(pid));
      case Request.GetChildSpec(String id) -> Optional.empty();
      case Request.GetChildSpecPid(Pid pid) -> specOf(byPid.get(pid));
      case Request.Which w -> infos(children);
      case Request.Count c -> count();
      case Request.Inspect i -> snapshot(infos(children));
    };
  }

  private ChildCounts count() {
    int active = 0;
    int supervisors = 0;
    for (Child child : children) {
      if (child.pid != null) {
        active++;
      }
      if (child.spec.type() == ChildType.SUPERVISOR) {
        supervisors++;
      }
    }
    return new ChildCounts(children.size(), active, supervisors, children.size() - supervisors);
  }

  private Object startChild(ChildSpec childSpec) {
    if (spec.maxChildren() > 0 && children.size() >= spec.maxChildren()) {
      return new ChildException.MaxChildren(spec.name(), spec.maxChildren());
    }
    InvalidSpecException refused =
        ArgumentsStart.refusal(spec.name(), spec.extraArguments(), childSpec);
    if (refused != null) {
      return refused;
    }
    Child child = new Child(childSpec);
    Pid pid;
    try {
      pid = Children.start(self(), childSpec, spec.extraArguments());
    } catch (Throwable e) {
      Children.rethrowIfFatal(self(), e);
      reporter().childStartFailed(child, e);
      return Children.startFailed(childSpec.id(), e);
    }
    if (pid == null) {
      reporter().childIgnored(child, false);
      return ignored(child);
    }
    running(child, pid);
    child.forgetStartIfTemporary();
    children.add(child);
    byPid.put(pid, child);
    reporter().childStarted(child, pid);
    return pid;
  }

  private Object terminateChild(Pid pid) {
    Child child = byPid.remove(pid);
    if (child == null) {
      return new ChildException.NotFound(pid);
    }
    if (child.pid != pid) { // restarting or backing off: no process, just stop retrying
      cancelBackoffs(List.of(child));
      restartingFrom.remove(child);
      child.state = ChildState.STOPPED;
      children.remove(child);
      return Request.Ok.INSTANCE;
    }
    ExitReason reason = Children.stop(self(), pid, child.spec.shutdown());
    child.pid = null;
    children.remove(child);
    reporter().childTerminated(child, pid, reason);
    return Request.Ok.INSTANCE;
  }

  @Override
  public void handleInfo(Info info) {
    switch (info) {
      case Info.Exit exit -> {
        Pid from = exit.from();
        Child child = from == null ? null : byPid.get(from);
        if (child != null && from != null && child.pid == from) {
          byPid.remove(from);
          childExited(child, from, exit.reason());
        }
      }
      case Info.Message(Request.Retry retry) -> {
        Child child = retry.child();
        Pid last = restartingFrom.get(child);
        if (last != null
            && (child.state == ChildState.RESTARTING || child.state == ChildState.BACKING_OFF)
            && admitRestart(child)) {
          restart(child, last);
        }
      }
      default -> {
        // Stale Down notices and stray messages are ignored.
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
      children.remove(child);
      return;
    }
    Duration delay = backoffDelay(child);
    if (!delay.isZero()) {
      // Found by its last pid meanwhile, as a restarting child is, so terminateChild stops it.
      restartingFrom.put(child, pid);
      byPid.put(pid, child);
      backOff(child, delay, new Request.Retry(child));
      return;
    }
    if (admitRestart(child)) {
      restart(child, pid);
    }
  }

  /* Restarts a child whose last process was `last`. */
  private void restart(Child child, Pid last) {
    try {
      Pid pid = Children.start(self(), child.spec, spec.extraArguments());
      if (restartingFrom.remove(child) != null) {
        byPid.remove(last);
      }
      if (pid == null) { // ignored: as in Elixir, the child is removed
        children.remove(child);
        reporter().childIgnored(child, false);
        return;
      }
      byPid.put(pid, child);
      restarted(child, pid);
    } catch (Throwable e) {
      Children.rethrowIfFatal(self(), e);
      reporter().startError(child, e);
      restartingFrom.put(child, last);
      byPid.put(last, child);
      Duration delay = backoffDelay(child);
      if (delay.isZero()) {
        child.state = ChildState.RESTARTING;
        self().self().send(new Request.Retry(child));
      } else {
        backOff(child, delay, new Request.Retry(child));
      }
    }
  }

  @Override
  public void terminate(ExitReason reason) {
    cancelBackoffs(children);
    List<Child> running = new ArrayList<>(children);
    var reasons = Children.stopAll(self(), running);
    Reporter r = reporter();
    for (Child child : running) {
      Pid pid = child.pid;
      if (pid != null) {
        r.childTerminated(child, pid, reasons.getOrDefault(pid, ExitReason.killed()));
        child.pid = null;
      }
      r.flushSuppressed(child);
    }
    children.clear();
    byPid.clear();
    restartingFrom.clear();
  }
}

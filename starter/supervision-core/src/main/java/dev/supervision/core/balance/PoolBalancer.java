package dev.supervision.core.balance;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/*
 * A pool: a one-for-one supervisor whose worker start functions report to this balancer.
 *
 * Membership is driven by the runtime itself, not by events:
 * - a worker joins in its start function, which runs in the supervisor's process right after the
 *   worker's init has finished (first start and every restart alike);
 * - it leaves in an exit callback (Node.monitor(pid, callback)), which runs on the thread that ends
 *   the worker, before the supervisor is signalled; so the dead worker is out of the healthy array
 *   before anybody can observe its exit, and select() never hands it out afterwards; it is then
 *   RESTARTING, or DOWN if its supervisor stopped it (see left);
 * - the supervisor's own exit callback marks every slot DOWN.
 * Each of these rebuilds the healthy array under `membership` and publishes it as a new epoch; selection
 * never takes the lock.
 */
final class PoolBalancer<M> extends Balancer<M> implements WorkerPool<M> {
  private final PoolSpec<M> spec;
  private final boolean supervised;
  private final Slot[] slots;
  private final ReentrantLock membership = new ReentrantLock();

  /* Guarded by membership; volatile for supervisor(). */
  private volatile @Nullable Pid supervisorPid;

  /* The supervisor started by startOn, which close() stops. */
  private volatile @Nullable SupervisorRef ownSupervisor;

  private static final class Slot {
    final int index;
    final String id;
    final LongAdder dispatches = new LongAdder();

    /* Guarded by membership. */
    @Nullable Member member;

    WorkerState state = WorkerState.DOWN;

    Slot(int index, String id) {
      this.index = index;
      this.id = id;
    }
  }

  PoolBalancer(PoolSpec<M> spec, boolean supervised) {
    super(spec.name(), spec.strategy());
    this.spec = spec;
    this.supervised = supervised;
    this.slots = new Slot[spec.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot(i, spec.workerId(i));
    }
  }

  void startOn(Node node) {
    ownSupervisor = Supervisor.start(node, supervisorSpec());
  }

  private SupervisorSpec supervisorSpec() {
    List<ChildSpec> children = new ArrayList<>(slots.length);
    for (Slot slot : slots) {
      children.add(ChildSpec.worker(slot.id, () -> startWorker(slot)));
    }
    return SupervisorSpec.of(spec.supervisorName(), Strategy.ONE_FOR_ONE)
        .withIntensity(spec.maxRestarts(), spec.within())
        .withChildren(children);
  }

  /* A worker's start function: runs in the pool supervisor's process. */
  private Pid startWorker(Slot slot) {
    Pid pid =
        GenServer.startLink(spec.workerFactory(), StartOptions.DEFAULTS.withLabel(slot.id)).pid();
    joined(slot, pid);
    return pid;
  }

  private void joined(Slot slot, Pid pid) {
    Pid supervisor = ProcessContext.current().map(ProcessContext::self).orElse(null);
    boolean newSupervisor = false;
    membership.lock();
    try {
      if (closed) {
        return;
      }
      if (supervisor != null && supervisor != supervisorPid) {
        supervisorPid = supervisor;
        newSupervisor = true;
      }
      slot.member = new Member(pid, slot.dispatches);
      slot.state = WorkerState.UP;
      publish();
    } finally {
      membership.unlock();
    }
    if (newSupervisor && supervisor != null) {
      pid.node().monitor(supervisor, (p, reason) -> supervisorExited(p));
    }
    // Fires at once if the worker has already exited.
    pid.node().monitor(pid, (p, reason) -> left(slot, p));
    memberJoined();
  }

  /*
   * Runs on the worker's exiting thread, before its links are signalled. A supervisor stopping a
   * child unlinks it first (terminateChild, its own shutdown): a worker its supervisor still links
   * to exited by itself and will be restarted; one it no longer links to was stopped and stays down.
   */
  private void left(Slot slot, Pid pid) {
    Pid supervisor = supervisorPid;
    boolean restarting =
        supervisor != null && supervisor.isAlive() && pid.node().links(supervisor).contains(pid);
    membership.lock();
    try {
      Member member = slot.member;
      if (member == null || member.pid != pid) {
        return;
      }
      slot.member = null;
      slot.state = !closed && restarting ? WorkerState.RESTARTING : WorkerState.DOWN;
      publish();
    } finally {
      membership.unlock();
    }
  }

  private void supervisorExited(Pid supervisor) {
    membership.lock();
    try {
      if (supervisor != supervisorPid) {
        return;
      }
      supervisorPid = null;
      for (Slot slot : slots) {
        slot.member = null;
        slot.state = WorkerState.DOWN;
      }
      publish();
    } finally {
      membership.unlock();
    }
  }

  /* Under membership. */
  private void publish() {
    int up = 0;
    for (Slot slot : slots) {
      if (slot.member != null) {
        up++;
      }
    }
    Member[] next = new Member[up];
    int i = 0;
    for (Slot slot : slots) {
      Member member = slot.member;
      if (member != null) {
        next[i++] = member;
      }
    }
    publish(next);
  }

  @Override
  public PoolSpec<M> spec() {
    return spec;
  }

  @Override
  public Optional<Pid> supervisor() {
    Pid supervisor = supervisorPid;
    return supervisor != null && supervisor.isAlive() ? Optional.of(supervisor) : Optional.empty();
  }

  @Override
  public ChildSpec childSpec() {
    if (!supervised) {
      throw new IllegalStateException(
          "pool '"
              + name()
              + "' runs its own supervisor; use LoadBalancers.supervisedPool for a child spec");
    }
    return ChildSpec.supervisor(spec.supervisorName(), supervisorSpec());
  }

  @Override
  public List<WorkerInfo> workers() {
    List<WorkerInfo> out = new ArrayList<>(slots.length);
    membership.lock();
    try {
      for (Slot slot : slots) {
        Member member = slot.member;
        out.add(
            new WorkerInfo(
                slot.index,
                slot.id,
                member == null ? null : member.pid,
                slot.state,
                member == null ? slot.dispatches.sum() : dispatchesOf(member)));
      }
    } finally {
      membership.unlock();
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public Map<String, Long> dispatchCounts() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Slot slot : slots) {
      Member member = slot.member;
      out.put(slot.id, member == null ? slot.dispatches.sum() : dispatchesOf(member));
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public void close() {
    membership.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (Slot slot : slots) {
        slot.member = null;
        slot.state = WorkerState.DOWN;
      }
      publish();
    } finally {
      membership.unlock();
    }
    memberJoined();
    SupervisorRef own = ownSupervisor;
    if (own != null && own.whereis() != null) {
      try {
        own.stop();
      } catch (CallException.NoProc e) {
        // already gone
      }
    }
  }

  @Override
  public String toString() {
    return "WorkerPool[" + name() + ", " + epoch().members.length + "/" + slots.length + " up]";
  }
}

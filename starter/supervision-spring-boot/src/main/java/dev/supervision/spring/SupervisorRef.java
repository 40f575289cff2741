package dev.supervision.spring;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.Pid;
import dev.supervision.core.supervisor.ChildCounts;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stable handle on a configured supervisor: the bean registered under the supervisor's name. It
 * resolves to the supervisor's current process at every use, so it keeps working after the
 * supervisor's own parent restarts it with a new pid.
 *
 * {@snippet :
 * @Service
 * class Rooms {
 *   private final SupervisorRef rooms; // supervision.supervisors.rooms.type=dynamic
 *
 *   Rooms(@Qualifier("rooms") SupervisorRef rooms) {
 *     this.rooms = rooms;
 *   }
 *
 *   Pid open(String name) {
 *     return rooms.startChild(ChildSpec.worker("room", () -> GenServer.startLink(() -> new Room(name)))
 *         .withRestart(Restart.TRANSIENT));
 *   }
 * }
 * }
 *
 * <p>Operations are calls to the supervisor process and wait for it (OTP's infinite timeout),
 * except {@link #inspect(Duration)}; they throw {@link
 * dev.supervision.core.server.CallException.NoProc} when the supervisor is not running (before the
 * context starts, after it stops, or after it gave up), and the {@link
 * dev.supervision.core.supervisor.ChildException} subclasses documented on {@link Supervisor} and
 * {@link DynamicSupervisor}. Thread-safe.
 */
public final class SupervisorRef implements Address {
  private final String name;
  private final boolean dynamic;
  private volatile @Nullable Pid pid;

  SupervisorRef(String name, boolean dynamic) {
    this.name = Objects.requireNonNull(name, "name");
    this.dynamic = dynamic;
  }

  /* Called from the start function of the supervisor, in its parent's process. */
  void track(Pid pid) {
    this.pid = pid;
  }

  /** The supervisor's name, as configured. */
  public String name() {
    return name;
  }

  /** Whether it is a dynamic supervisor ({@code type: dynamic}). */
  public boolean isDynamic() {
    return dynamic;
  }

  /** The supervisor's process now, or {@code null} if it is not running. */
  @Override
  public @Nullable Pid whereis() {
    Pid p = pid;
    return p != null && p.isAlive() ? p : null;
  }

  /** Whether the supervisor is running now. */
  public boolean isRunning() {
    return whereis() != null;
  }

  /**
   * Starts a child: for a static supervisor at the end of its start order, for a dynamic one as a
   * new instance (several children may share the spec's id).
   *
   * @return the child's pid
   * @throws dev.supervision.core.server.StartIgnoredException if the child's start ended in ignore
   *     (its {@code init} called {@code context.ignore()})
   */
  public Pid startChild(ChildSpec spec) {
    return dynamic ? DynamicSupervisor.startChild(this, spec) : Supervisor.startChild(this, spec);
  }

  /** Stops a static supervisor's child by its shutdown; its spec is kept (not for a temporary). */
  public void terminateChild(String id) {
    Supervisor.terminateChild(this, id);
  }

  /** Stops a dynamic supervisor's child by its shutdown and forgets it. */
  public void terminateChild(Pid child) {
    DynamicSupervisor.terminateChild(this, child);
  }

  /**
   * Starts a stopped child of a static supervisor again.
   *
   * @throws dev.supervision.core.server.StartIgnoredException if its start ended in ignore; the
   *     child stays stopped
   */
  public Pid restartChild(String id) {
    return Supervisor.restartChild(this, id);
  }

  /** Removes a stopped child's spec from a static supervisor. */
  public void deleteChild(String id) {
    Supervisor.deleteChild(this, id);
  }

  /** Every child, in start order. */
  public List<ChildInfo> whichChildren() {
    return Supervisor.whichChildren(this);
  }

  /** OTP's {@code count_children}. */
  public ChildCounts countChildren() {
    return Supervisor.countChildren(this);
  }

  /**
   * A snapshot of the supervisor and its children, waiting at most {@code timeout}.
   *
   * @throws dev.supervision.core.server.CallException if it is not running or does not answer in
   *     time
   */
  public SupervisorSnapshot inspect(Duration timeout) {
    return Supervisor.inspect(this, timeout);
  }

  @Override
  public String toString() {
    Pid p = pid;
    return "SupervisorRef[" + name + (dynamic ? ", dynamic" : "") + ", " + p + "]";
  }
}

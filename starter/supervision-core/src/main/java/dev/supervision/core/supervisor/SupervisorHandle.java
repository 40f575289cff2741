package dev.supervision.core.supervisor;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What every supervisor answers, static ({@link SupervisorRef}) or dynamic ({@link
 * DynamicSupervisorRef}): its children, their counts, a snapshot, and stopping it. Each kind's own
 * operations are on its own handle, so a handle never offers an operation its supervisor refuses.
 *
 * <p>Operations are calls to the supervisor process and wait for it (OTP's infinite timeout),
 * except {@link #inspect(Duration)}; they throw {@link
 * dev.supervision.core.server.CallException.NoProc} when the supervisor is not running. Handles are
 * immutable, equal when their addresses are, and may be used from any thread.
 */
public abstract sealed class SupervisorHandle implements Address
    permits SupervisorRef, DynamicSupervisorRef {
  private final ServerRef<Request.Call> server;

  SupervisorHandle(Address address) {
    this.server = ServerRef.of(Objects.requireNonNull(address, "address"));
  }

  /* What a new handle on `address` resolves: a handle's own address, not the handle itself. */
  static Address target(Address address) {
    Objects.requireNonNull(address, "address");
    return address instanceof SupervisorHandle h ? h.address() : address;
  }

  /** The address this handle resolves: a pid, or a name. */
  public final Address address() {
    return server.address();
  }

  /** The supervisor's live process now, or {@code null} if it is not running. */
  @Override
  public final @Nullable Pid whereis() {
    return server.whereis();
  }

  /**
   * The supervisor's process: for a handle from a start, that pid, alive or not; for a name, the
   * process registered under it now.
   *
   * @throws IllegalStateException if this is a name no live process holds
   */
  public final Pid pid() {
    return server.pid();
  }

  /** Every child, in start order (OTP's {@code which_children}). */
  public final List<ChildInfo> whichChildren() {
    @SuppressWarnings("unchecked") // Which is answered with the list
    List<ChildInfo> children = (List<ChildInfo>) call(Request.Which.INSTANCE);
    return children;
  }

  /** OTP's {@code count_children}. */
  public final ChildCounts countChildren() {
    return (ChildCounts) call(Request.Count.INSTANCE);
  }

  /**
   * A snapshot of the supervisor, waiting at most {@code timeout}.
   *
   * @throws dev.supervision.core.server.CallException if it does not answer in time or is not
   *     running
   */
  public final SupervisorSnapshot inspect(Duration timeout) {
    return (SupervisorSnapshot)
        server.call(replyTo -> new Request.Call(Request.Inspect.INSTANCE, replyTo), timeout);
  }

  /**
   * Stops the supervisor: its children stop (in reverse start order for a static one, all at once
   * for a dynamic one), then it exits with {@code shutdown}. Returns once it has exited.
   */
  public final void stop() {
    server.stop(ExitReason.shutdown(), GenServer.INFINITY);
  }

  /* A request, answered by a value, or by the ChildException (or ignore) thrown here. */
  /**
   * The child whose process is {@code child}, as {@link #whichChildren()} lists it, if there is one
   * (OTP's {@code which_child/2} by pid). Under a dynamic supervisor a child waiting to be
   * restarted is found by the pid it last had, as {@link DynamicSupervisorRef#terminateChild(Pid)}
   * finds it; under a static one only a running child is found.
   */
  public Optional<ChildInfo> whichChild(Pid child) {
    @SuppressWarnings("unchecked") // WhichChildPid is answered with an Optional<ChildInfo>
    Optional<ChildInfo> info =
        (Optional<ChildInfo>)
            call(new Request.WhichChildPid(Objects.requireNonNull(child, "child")));
    return info;
  }

  /**
   * The spec the child whose process is {@code child} was started from, if there is one (OTP's
   * {@code get_childspec/2} by pid), found as {@link #whichChild(Pid)} finds the child. A temporary
   * child's start function is not kept once it runs: its spec's {@code start()} throws {@link
   * IllegalStateException}.
   */
  public Optional<ChildSpec> getChildSpec(Pid child) {
    @SuppressWarnings("unchecked") // GetChildSpecPid is answered with an Optional<ChildSpec>
    Optional<ChildSpec> spec =
        (Optional<ChildSpec>)
            call(new Request.GetChildSpecPid(Objects.requireNonNull(child, "child")));
    return spec;
  }

  final Object call(Request request) {
    Object reply = server.call(replyTo -> new Request.Call(request, replyTo), GenServer.INFINITY);
    if (reply instanceof RuntimeException e) {
      e.fillInStackTrace();
      throw e;
    }
    return Objects.requireNonNull(reply);
  }

  @Override
  public final boolean equals(@Nullable Object o) {
    return o instanceof SupervisorHandle other
        && getClass() == other.getClass()
        && server.equals(other.server);
  }

  @Override
  public final int hashCode() {
    return server.hashCode();
  }

  @Override
  public final String toString() {
    return server.toString();
  }
}

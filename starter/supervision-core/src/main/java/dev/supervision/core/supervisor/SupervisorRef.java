package dev.supervision.core.supervisor;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.StartIgnoredException;
import java.util.Objects;
import java.util.Optional;

/**
 * A handle on a static supervisor (OTP's {@code supervisor} with one-for-one, one-for-all or
 * rest-for-one): its run-time child operations, by child id.
 *
 * {@snippet :
 * SupervisorRef sup = Supervisor.start(node, SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
 *     .withChildren(ChildSpec.server("counter", Counter::new)));
 * sup.startChild(ChildSpec.server("extra", Extra::new));
 * sup.terminateChild("extra");   // stopped, spec kept
 * sup.restartChild("extra");     // running again
 * sup.terminateChild("extra");
 * sup.deleteChild("extra");      // gone
 * }
 *
 * <p>Refusals are {@link ChildException} subclasses.
 */
public final class SupervisorRef extends SupervisorHandle {

  private SupervisorRef(Address address) {
    super(address);
  }

  /** A handle on the static supervisor at {@code address} (a pid or a name). */
  public static SupervisorRef of(Address address) {
    return new SupervisorRef(target(address));
  }

  /**
   * Adds a child at the end of the start order and starts it (OTP's {@code start_child}).
   *
   * @return the child's pid
   * @throws ChildException.AlreadyStarted if a running child has the same id, or the start found
   *     the child's name registered to another live process (whose pid it carries)
   * @throws ChildException.AlreadyPresent if a stopped child has the same id
   * @throws ChildException.StartFailed if its start function fails (the spec is not kept)
   * @throws StartIgnoredException if its start ended in ignore (OTP's {@code {ok, undefined}}): the
   *     spec is kept, not running, unless the child is temporary
   * @throws InvalidSpecException if the child is significant and the supervisor's auto-shutdown is
   *     {@link AutoShutdown#NEVER}
   */
  public Pid startChild(ChildSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return (Pid) call(new Request.StartChild(spec));
  }

  /**
   * Stops a child by its shutdown; its spec is kept (deleted for a temporary child). Stopping a
   * stopped child is fine.
   *
   * @throws ChildException.NotFound if there is no such child
   */
  public void terminateChild(String id) {
    call(new Request.TerminateChild(Objects.requireNonNull(id, "id")));
  }

  /**
   * Starts a stopped child again.
   *
   * @throws ChildException.NotFound if there is no such child
   * @throws ChildException.Running if it is running
   * @throws ChildException.Restarting if its restart is being retried
   * @throws ChildException.StartFailed if its start fails (the spec is kept)
   * @throws StartIgnoredException if its start ended in ignore (the spec is kept, not running)
   */
  public Pid restartChild(String id) {
    return (Pid) call(new Request.RestartChild(Objects.requireNonNull(id, "id")));
  }

  /**
   * Removes a stopped child's spec.
   *
   * @throws ChildException.NotFound if there is no such child
   * @throws ChildException.Running if it is running
   * @throws ChildException.Restarting if its restart is being retried
   */
  public void deleteChild(String id) {
    call(new Request.DeleteChild(Objects.requireNonNull(id, "id")));
  }

  /**
   * The child with id {@code id} as {@link #whichChildren()} lists it, if there is one (OTP's
   * {@code which_child/2}; Elixir filters {@code Supervisor.which_children/1}).
   */
  public Optional<ChildInfo> whichChild(String id) {
    @SuppressWarnings("unchecked") // WhichChild is answered with an Optional<ChildInfo>
    Optional<ChildInfo> child =
        (Optional<ChildInfo>) call(new Request.WhichChild(Objects.requireNonNull(id, "id")));
    return child;
  }

  /**
   * The spec of the child with id {@code id}, if there is one (OTP's {@code get_childspec/2}): the
   * spec it was started from, every field filled in. A running temporary child's start function is
   * not kept (OTP keeps {@code {M, F, undefined}}): its spec's {@code start()} throws {@link
   * IllegalStateException}.
   */
  public Optional<ChildSpec> getChildSpec(String id) {
    @SuppressWarnings("unchecked") // GetChildSpec is answered with an Optional<ChildSpec>
    Optional<ChildSpec> spec =
        (Optional<ChildSpec>) call(new Request.GetChildSpec(Objects.requireNonNull(id, "id")));
    return spec;
  }
}

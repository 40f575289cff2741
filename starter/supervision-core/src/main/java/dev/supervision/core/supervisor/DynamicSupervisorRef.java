package dev.supervision.core.supervisor;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.Pid;
import java.util.Objects;

/**
 * A handle on a dynamic supervisor (Elixir's {@code DynamicSupervisor}): children started at run
 * time, one-for-one, each stopped by its pid.
 *
 * {@snippet :
 * DynamicSupervisorRef rooms = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms"));
 * Pid lobby = rooms.startChild(ChildSpec.server("room", () -> new Room("lobby")));
 * rooms.terminateChild(lobby);
 * }
 *
 * <p>Refusals are {@link ChildException} subclasses.
 */
public final class DynamicSupervisorRef extends SupervisorHandle {

  private DynamicSupervisorRef(Address address) {
    super(address);
  }

  /** A handle on the dynamic supervisor at {@code address} (a pid or a name). */
  public static DynamicSupervisorRef of(Address address) {
    return new DynamicSupervisorRef(target(address));
  }

  /**
   * Starts a child.
   *
   * @return the child's pid
   * @throws ChildException.MaxChildren if the supervisor is full
   * @throws ChildException.AlreadyStarted if the start found the child's name registered to another
   *     live process (whose pid it carries)
   * @throws ChildException.StartFailed if the start function fails
   * @throws InvalidSpecException if the spec is significant, or takes extra arguments (see {@link
   *     ChildSpec#worker(String, Class, ChildStart.WithArguments)}) of a type the supervisor's are
   *     not
   * @throws dev.supervision.core.server.StartIgnoredException if the start ended in ignore
   *     (Elixir's {@code :ignore}); nothing is kept
   */
  public Pid startChild(ChildSpec spec) {
    Objects.requireNonNull(spec, "spec");
    // checked before the call, as Elixir checks specs
    DynamicSupervisorSpec.requireNotSignificant(null, spec);
    return (Pid) call(new Request.StartChild(spec));
  }

  /**
   * Stops a child by its shutdown and forgets it.
   *
   * @throws ChildException.NotFound if {@code child} is not a child of this supervisor
   */
  public void terminateChild(Pid child) {
    call(new Request.TerminateChildPid(Objects.requireNonNull(child, "child")));
  }
}

package dev.supervision.core.supervisor;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.server.GenServer;
import java.util.List;
import java.util.Objects;

/**
 * Dynamic supervisors (Elixir's {@code DynamicSupervisor}): one-for-one supervision of children
 * started at run time, any number of them (or up to a maximum).
 *
 * {@snippet :
 * Pid rooms = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms").withMaxChildren(1000));
 * Pid lobby = DynamicSupervisor.startChild(rooms,
 *     ChildSpec.worker("room", () -> GenServer.startLink(() -> new Room("lobby"))));
 * DynamicSupervisor.terminateChild(rooms, lobby);
 * }
 *
 * <p>Child ids are not checked for uniqueness; they label the children in events and metrics.
 * Children are identified by pid. When the supervisor stops, all children are signalled at once and
 * the stop takes about as long as the longest shutdown, not the sum.
 */
public final class DynamicSupervisor {
  private DynamicSupervisor() {}

  /** Starts a dynamic supervisor not linked to the caller. */
  public static Pid start(Node node, DynamicSupervisorSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return GenServer.start(
        node, () -> new DynamicSupervisorServer(spec, null), Supervisor.options(spec.name()));
  }

  /**
   * Starts a dynamic supervisor linked to the calling process.
   *
   * @throws IllegalStateException if the caller is not a process
   */
  public static Pid startLink(DynamicSupervisorSpec spec) {
    Objects.requireNonNull(spec, "spec");
    Pid parent = ProcessContext.current().map(ProcessContext::self).orElse(null);
    return GenServer.startLink(
        () -> new DynamicSupervisorServer(spec, parent), Supervisor.options(spec.name()));
  }

  /**
   * Starts a child.
   *
   * @throws ChildException.MaxChildren if the supervisor is full
   * @throws ChildException.AlreadyStarted if the start found the child's name registered to another
   *     live process (whose pid it carries)
   * @throws ChildException.StartFailed if the start function fails
   * @throws InvalidSpecException if the spec is significant
   * @throws dev.supervision.core.server.StartIgnoredException if the start ended in ignore
   *     (Elixir's {@code :ignore}); nothing is kept
   */
  public static Pid startChild(Address supervisor, ChildSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.significant()) {
      // Elixir's {:invalid_significant, true}, checked before the call as Elixir checks specs
      throw new InvalidSpecException(
          "child spec '"
              + spec.id()
              + "' is significant; a dynamic supervisor has no auto-shutdown");
    }
    return (Pid) Supervisor.call(supervisor, new Request.StartChild(spec));
  }

  /**
   * Stops a child by its shutdown and forgets it.
   *
   * @throws ChildException.NotFound if {@code child} is not a child of this supervisor
   */
  public static void terminateChild(Address supervisor, Pid child) {
    Supervisor.call(supervisor, new Request.TerminateChildPid(Objects.requireNonNull(child)));
  }

  /** Every child, in start order. */
  public static List<ChildInfo> whichChildren(Address supervisor) {
    return Supervisor.whichChildren(supervisor);
  }

  /** Counts of children; restarting ones are in {@code specs} but not in {@code active}. */
  public static ChildCounts countChildren(Address supervisor) {
    return Supervisor.countChildren(supervisor);
  }

  /** Stops the supervisor and all its children; returns once it has exited. */
  public static void stop(Address supervisor) {
    GenServer.stop(supervisor, ExitReason.shutdown(), GenServer.INFINITY);
  }
}

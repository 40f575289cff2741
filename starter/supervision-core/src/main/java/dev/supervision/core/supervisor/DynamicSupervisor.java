package dev.supervision.core.supervisor;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.StartOptions;
import java.util.Objects;

/**
 * Dynamic supervisors (Elixir's {@code DynamicSupervisor}): one-for-one supervision of children
 * started at run time, any number of them (or up to a maximum).
 *
 * {@snippet :
 * DynamicSupervisorRef rooms =
 *     DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms").withMaxChildren(1000));
 * Pid lobby = rooms.startChild(ChildSpec.server("room", () -> new Room("lobby")));
 * rooms.terminateChild(lobby);
 * }
 *
 * <p>Child ids are not checked for uniqueness; they label the children in events and metrics.
 * Children are identified by pid. When the supervisor stops, all children are signalled at once and
 * the stop takes about as long as the longest shutdown, not the sum.
 */
public final class DynamicSupervisor {
  private DynamicSupervisor() {}

  /** Starts a dynamic supervisor not linked to the caller. */
  public static DynamicSupervisorRef start(Node node, DynamicSupervisorSpec spec) {
    return start(node, spec, options(spec));
  }

  /**
   * Starts a dynamic supervisor linked to the calling process.
   *
   * @throws IllegalStateException if the caller is not a process
   */
  public static DynamicSupervisorRef startLink(DynamicSupervisorSpec spec) {
    return startLink(spec, options(spec));
  }

  /**
   * Starts a dynamic supervisor not linked to the caller and registers it under {@code name} (a
   * {@linkplain Node#name local name} or a registry's via name); {@code
   * DynamicSupervisorRef.of(name)} reaches it from anywhere.
   *
   * @throws dev.supervision.core.server.StartException if the name is taken
   */
  public static DynamicSupervisorRef start(Node node, DynamicSupervisorSpec spec, Name name) {
    return start(node, spec, options(spec).withName(Objects.requireNonNull(name, "name")));
  }

  /**
   * Starts a dynamic supervisor linked to the calling process and registered under {@code name}.
   *
   * @throws IllegalStateException if the caller is not a process
   */
  public static DynamicSupervisorRef startLink(DynamicSupervisorSpec spec, Name name) {
    return startLink(spec, options(spec).withName(Objects.requireNonNull(name, "name")));
  }

  private static DynamicSupervisorRef start(
      Node node, DynamicSupervisorSpec spec, StartOptions options) {
    return DynamicSupervisorRef.of(
        GenServer.start(node, () -> new DynamicSupervisorServer(spec, null), options).pid());
  }

  private static DynamicSupervisorRef startLink(DynamicSupervisorSpec spec, StartOptions options) {
    Pid parent = ProcessContext.current().map(ProcessContext::self).orElse(null);
    return DynamicSupervisorRef.of(
        GenServer.startLink(() -> new DynamicSupervisorServer(spec, parent), options).pid());
  }

  private static StartOptions options(DynamicSupervisorSpec spec) {
    return Supervisor.options(Objects.requireNonNull(spec, "spec").name());
  }
}

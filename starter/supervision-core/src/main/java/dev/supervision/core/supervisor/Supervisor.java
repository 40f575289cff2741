package dev.supervision.core.supervisor;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.StartOptions;
import java.util.Objects;

/**
 * Starting static supervisors (OTP's {@code supervisor} module); a start returns the {@link
 * SupervisorRef} that manages its children at run time.
 *
 * <p>Children start in order, each before the next, and {@code start} returns only once all have
 * started; a child that fails to start makes the whole start fail after the children already
 * started are terminated in reverse order. A child whose start ends in ignore (see {@link
 * dev.supervision.core.server.StartIgnoredException}) does not: it is kept, not running, or dropped
 * if temporary. A supervisor with no children is valid. Run-time calls wait as long as the
 * supervisor takes (OTP's infinite timeout) and report refusals as {@link ChildException}
 * subclasses.
 */
public final class Supervisor {
  private Supervisor() {}

  /**
   * Starts a supervisor that is not linked to the caller (a root of a tree).
   *
   * @throws dev.supervision.core.server.StartException if a child fails to start
   * @throws InvalidSpecException if a child is significant and the auto-shutdown is {@link
   *     AutoShutdown#NEVER}
   */
  public static SupervisorRef start(Node node, SupervisorSpec spec) {
    return start(node, spec, options(spec));
  }

  /**
   * Starts a supervisor linked to the calling process: the start function of a supervisor child.
   *
   * @throws IllegalStateException if the caller is not a process
   * @throws InvalidSpecException if a child is significant and the auto-shutdown is {@link
   *     AutoShutdown#NEVER}
   */
  public static SupervisorRef startLink(SupervisorSpec spec) {
    return startLink(spec, options(spec));
  }

  /**
   * Starts a supervisor not linked to the caller and registers it under {@code name} (OTP's {@code
   * name: MyApp.Supervisor}): a {@linkplain Node#name local name} or a registry's via name. {@code
   * SupervisorRef.of(name)} then reaches it from anywhere, also after a parent restarted it.
   *
   * @throws dev.supervision.core.server.StartException if the name is taken (it carries the holder)
   *     or a child fails to start
   */
  public static SupervisorRef start(Node node, SupervisorSpec spec, Name name) {
    return start(node, spec, options(spec).withName(Objects.requireNonNull(name, "name")));
  }

  /**
   * Starts a supervisor linked to the calling process and registered under {@code name}.
   *
   * @throws IllegalStateException if the caller is not a process
   */
  public static SupervisorRef startLink(SupervisorSpec spec, Name name) {
    return startLink(spec, options(spec).withName(Objects.requireNonNull(name, "name")));
  }

  private static SupervisorRef start(Node node, SupervisorSpec spec, StartOptions options) {
    spec.requireSignificantAllowed();
    return SupervisorRef.of(
        GenServer.start(node, () -> new SupervisorServer(spec, null), options).pid());
  }

  private static SupervisorRef startLink(SupervisorSpec spec, StartOptions options) {
    spec.requireSignificantAllowed();
    Pid parent = ProcessContext.current().map(ProcessContext::self).orElse(null);
    return SupervisorRef.of(
        GenServer.startLink(() -> new SupervisorServer(spec, parent), options).pid());
  }

  private static StartOptions options(SupervisorSpec spec) {
    return options(Objects.requireNonNull(spec, "spec").name());
  }

  static StartOptions options(String name) {
    return StartOptions.DEFAULTS.withLabel(name).withInitTimeout(GenServer.INFINITY);
  }
}

package dev.supervision.core.supervisor;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.StartIgnoredException;
import dev.supervision.core.server.StartOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Starting static supervisors and managing their children at run time (OTP's {@code supervisor}
 * module).
 *
 * {@snippet :
 * Pid sup = Supervisor.start(node, SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
 *     .withChildren(ChildSpec.worker("counter", () -> GenServer.startLink(Counter::new))));
 * Pid extra = Supervisor.startChild(sup, ChildSpec.worker("extra", () -> GenServer.startLink(Extra::new)));
 * Supervisor.terminateChild(sup, "extra");   // stopped, spec kept
 * Supervisor.restartChild(sup, "extra");     // running again
 * Supervisor.terminateChild(sup, "extra");
 * Supervisor.deleteChild(sup, "extra");      // gone
 * }
 *
 * <p>Children start in order, each before the next, and {@code start} returns only once all have
 * started; a child that fails to start makes the whole start fail after the children already
 * started are terminated in reverse order. A child whose start ends in ignore (see {@link
 * StartIgnoredException}) does not: it is kept, not running, or dropped if temporary. A supervisor
 * with no children is valid. Run-time calls wait as long as the supervisor takes (OTP's infinite
 * timeout) and report refusals as {@link ChildException} subclasses.
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
  public static Pid start(Node node, SupervisorSpec spec) {
    Objects.requireNonNull(spec, "spec");
    spec.requireSignificantAllowed();
    return GenServer.start(node, () -> new SupervisorServer(spec, null), options(spec.name()));
  }

  /**
   * Starts a supervisor linked to the calling process: the start function of a supervisor child.
   *
   * @throws IllegalStateException if the caller is not a process
   * @throws InvalidSpecException if a child is significant and the auto-shutdown is {@link
   *     AutoShutdown#NEVER}
   */
  public static Pid startLink(SupervisorSpec spec) {
    Objects.requireNonNull(spec, "spec");
    spec.requireSignificantAllowed();
    Pid parent = ProcessContext.current().map(ProcessContext::self).orElse(null);
    return GenServer.startLink(() -> new SupervisorServer(spec, parent), options(spec.name()));
  }

  static StartOptions options(String name) {
    return StartOptions.DEFAULTS.withLabel(name).withInitTimeout(GenServer.INFINITY);
  }

  /**
   * Adds a child at the end of the start order and starts it.
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
  public static Pid startChild(Address supervisor, ChildSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return (Pid) call(supervisor, new Request.StartChild(spec));
  }

  /**
   * Stops a child by its shutdown; its spec is kept (deleted for a temporary child). Stopping a
   * stopped child is fine.
   *
   * @throws ChildException.NotFound if there is no such child
   */
  public static void terminateChild(Address supervisor, String id) {
    call(supervisor, new Request.TerminateChild(Objects.requireNonNull(id, "id")));
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
  public static Pid restartChild(Address supervisor, String id) {
    return (Pid) call(supervisor, new Request.RestartChild(Objects.requireNonNull(id, "id")));
  }

  /**
   * Removes a stopped child's spec.
   *
   * @throws ChildException.NotFound if there is no such child
   * @throws ChildException.Running if it is running
   * @throws ChildException.Restarting if its restart is being retried
   */
  public static void deleteChild(Address supervisor, String id) {
    call(supervisor, new Request.DeleteChild(Objects.requireNonNull(id, "id")));
  }

  /** Every child, in start order. */
  public static List<ChildInfo> whichChildren(Address supervisor) {
    return listOf(call(supervisor, Request.Which.INSTANCE));
  }

  /** OTP's {@code count_children}. */
  public static ChildCounts countChildren(Address supervisor) {
    return (ChildCounts) call(supervisor, Request.Count.INSTANCE);
  }

  /**
   * A snapshot of a static or dynamic supervisor, waiting at most {@code timeout}.
   *
   * @throws dev.supervision.core.server.CallException if it does not answer in time or is not
   *     running
   */
  public static SupervisorSnapshot inspect(Address supervisor, Duration timeout) {
    return (SupervisorSnapshot) GenServer.call(supervisor, Request.Inspect.INSTANCE, timeout);
  }

  /**
   * Stops a supervisor: its children stop in reverse start order, then it exits with {@code
   * shutdown}. Returns once it has exited.
   */
  public static void stop(Address supervisor) {
    GenServer.stop(supervisor, ExitReason.shutdown(), GenServer.INFINITY);
  }

  static Object call(Address supervisor, Object request) {
    Object reply = GenServer.call(supervisor, request, GenServer.INFINITY);
    // A refusal (ChildException), an ignored start or an invalid spec; no reply is one otherwise.
    if (reply instanceof RuntimeException e) {
      e.fillInStackTrace();
      throw e;
    }
    return Objects.requireNonNull(reply);
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> listOf(Object reply) {
    return (List<T>) reply;
  }
}

package dev.supervision.spring.actuate;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.StartIgnoredException;
import dev.supervision.core.supervisor.ChildException;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.Shutdown;
import dev.supervision.core.supervisor.SupervisorDirectory;
import dev.supervision.core.supervisor.SupervisorHandle;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSnapshot;
import dev.supervision.spring.SupervisionTracker;
import dev.supervision.spring.SupervisionTree;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code supervisors} actuator endpoint: the live supervision trees of the application's node.
 *
 * <table>
 *   <caption>Operations</caption>
 *   <tr><th>Request</th><th>Answer</th></tr>
 *   <tr><td>{@code GET /actuator/supervisors}</td><td>every root supervisor (the application's
 *   root first), each with its children and, nested in a child entry, the supervisors below
 *   it</td></tr>
 *   <tr><td>{@code GET /actuator/supervisors/{name}}</td><td>one supervisor and its subtree; 404
 *   when no running supervisor has that name</td></tr>
 *   <tr><td>{@code POST /actuator/supervisors/{name}} with {@code {"child": "...", "action":
 *   "restart"|"terminate"}}</td><td>terminates a child by its shutdown, or terminates and starts
 *   it again; under a dynamic supervisor, restart kills the child so that the supervisor restarts
 *   it by its restart type (counting against the intensity) and terminate removes it; 400 for an
 *   unknown, ambiguous or (under a dynamic supervisor) not running child, or an unknown action; 404
 *   for an unknown supervisor</td></tr>
 * </table>
 *
 * <p>{@code child} is any of what the read operations show of a child, looked for in this order:
 *
 * <table>
 *   <caption>What {@code child} may be</caption>
 *   <tr><th>Form</th><th>Example</th><th>Matches</th></tr>
 *   <tr><td>its pid, as shown</td><td>{@code "<0.42>"}</td><td>the child running as that
 *   process</td></tr>
 *   <tr><td>its registered name, as shown</td><td>{@code "via(room-names, lobby)"}</td><td>the
 *   child whose process registered under that name</td></tr>
 *   <tr><td>its id</td><td>{@code "user-manager"}</td><td>the child with that id; under a dynamic
 *   supervisor, whose children may share their spec's id, only if one child has it</td></tr>
 *   <tr><td>the number in its pid</td><td>{@code "42"}</td><td>the child running as
 *   {@code <n.42>}</td></tr>
 * </table>
 *
 * <p>Each supervisor is asked for its state with a timeout (2 seconds); one that does not answer is
 * shown without children.
 */
@Endpoint(id = "supervisors")
public final class SupervisorsEndpoint {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final SupervisionTree tree;

  /** An endpoint over {@code tree}'s node. */
  public SupervisorsEndpoint(SupervisionTree tree) {
    this.tree = tree;
  }

  /** Every supervision tree of the node. */
  @ReadOperation
  public Trees supervisors() {
    return SupervisionTracker.introspect(this::trees);
  }

  private Trees trees() {
    SupervisorDirectory directory = SupervisorDirectory.of(tree.node());
    Map<Pid, SupervisorDirectory.Entry> byPid = byPid(directory);
    List<SupervisorDescriptor> roots = new ArrayList<>();
    Pid appRoot = tree.root().whereis();
    if (appRoot != null && byPid.containsKey(appRoot)) {
      roots.add(describe(byPid.get(appRoot), byPid));
    }
    for (SupervisorDirectory.Entry entry : directory.roots()) {
      if (entry.pid() != appRoot) {
        roots.add(describe(entry, byPid));
      }
    }
    return new Trees(roots);
  }

  /** The supervisor named {@code name} and its subtree, or {@code null} (404). */
  @ReadOperation
  public @Nullable SupervisorDescriptor supervisor(@Selector String name) {
    SupervisorDirectory directory = SupervisorDirectory.of(tree.node());
    SupervisorDirectory.@Nullable Entry entry = find(directory, name);
    return entry == null
        ? null
        : SupervisionTracker.introspect(() -> describe(entry, byPid(directory)));
  }

  /**
   * Terminates or restarts a child of the supervisor named {@code name}.
   *
   * @param child the child's pid, registered name or id (see the class description)
   * @param action {@code restart} or {@code terminate}
   * @return what was done, or {@code null} (404) when there is no such supervisor
   */
  @WriteOperation
  public @Nullable ChildAction childAction(@Selector String name, String child, String action) {
    SupervisorDirectory directory = SupervisorDirectory.of(tree.node());
    SupervisorDirectory.@Nullable Entry entry = find(directory, name);
    if (entry == null) {
      return null;
    }
    String act = action.trim().toLowerCase(Locale.ROOT);
    if (!act.equals("restart") && !act.equals("terminate")) {
      throw new InvalidEndpointRequestException(
          "action must be 'restart' or 'terminate' but was '" + action + "'",
          "unknown action '" + action + "'");
    }
    try {
      return entry.dynamic() ? dynamicAction(entry, child, act) : staticAction(entry, child, act);
    } catch (ChildException e) {
      String message = String.valueOf(e.getMessage());
      throw new InvalidEndpointRequestException(message, message);
    } catch (CallException e) {
      throw new InvalidEndpointRequestException(
          "supervisor '" + name + "' did not answer: " + e.getMessage(),
          "supervisor not available");
    }
  }

  private ChildAction staticAction(SupervisorDirectory.Entry entry, String child, String act) {
    SupervisorRef supervisor = SupervisorRef.of(entry.pid());
    String id = find(entry, child).id();
    supervisor.terminateChild(id);
    if (act.equals("terminate")) {
      return new ChildAction(entry.name(), id, act, null);
    }
    Pid pid;
    try {
      pid = supervisor.restartChild(id);
    } catch (StartIgnoredException ignored) {
      return new ChildAction(entry.name(), id, act, null); // kept, not running: no pid
    }
    return new ChildAction(entry.name(), id, act, pidString(pid));
  }

  private ChildAction dynamicAction(SupervisorDirectory.Entry entry, String child, String act) {
    DynamicSupervisorRef supervisor = DynamicSupervisorRef.of(entry.pid());
    ChildInfo info = find(entry, child);
    Pid target = info.pid();
    if (target == null) {
      throw new InvalidEndpointRequestException(
          "child '" + child + "' of dynamic supervisor '" + entry.name() + "' is not running",
          "child not running");
    }
    if (act.equals("terminate")) {
      supervisor.terminateChild(target);
    } else {
      target.node().kill(target);
    }
    return new ChildAction(entry.name(), info.id(), act, pidString(target));
  }

  /* The child that `child` designates: its pid, registered name, id, or the number in its pid. */
  private static ChildInfo find(SupervisorDirectory.Entry entry, String child) {
    String key = child.trim();
    List<ChildInfo> children = handle(entry).inspect(TIMEOUT).children();
    for (ChildInfo info : children) {
      Pid pid = info.pid();
      if (pid != null && pidString(pid).equals(key)) {
        return info;
      }
    }
    for (ChildInfo info : children) {
      if (info.name() != null && String.valueOf(info.name()).equals(key)) {
        return info;
      }
    }
    List<ChildInfo> byId = children.stream().filter(c -> c.id().equals(key)).toList();
    if (byId.size() > 1) {
      throw new InvalidEndpointRequestException(
          byId.size()
              + " children of supervisor '"
              + entry.name()
              + "' have the id '"
              + key
              + "'; give the pid or the registered name of one",
          "ambiguous child");
    }
    if (byId.size() == 1) {
      return byId.getFirst();
    }
    for (ChildInfo info : children) {
      Pid pid = info.pid();
      if (pid != null && Long.toString(pid.id()).equals(key)) {
        return info;
      }
    }
    throw new InvalidEndpointRequestException(
        "supervisor '"
            + entry.name()
            + "' has no child '"
            + key
            + "'; give its pid (<0.42>), registered name or id",
        "no such child");
  }

  private SupervisorDirectory.@Nullable Entry find(SupervisorDirectory directory, String name) {
    SupervisorHandle handle = tree.supervisor(name);
    Pid pid = handle == null ? null : handle.whereis();
    if (pid != null) {
      for (SupervisorDirectory.Entry entry : directory.supervisors()) {
        if (entry.pid() == pid) {
          return entry;
        }
      }
    }
    return directory.find(name);
  }

  private static Map<Pid, SupervisorDirectory.Entry> byPid(SupervisorDirectory directory) {
    Map<Pid, SupervisorDirectory.Entry> map = new HashMap<>();
    for (SupervisorDirectory.Entry entry : directory.supervisors()) {
      map.put(entry.pid(), entry);
    }
    return map;
  }

  private static SupervisorDescriptor describe(
      SupervisorDirectory.Entry entry, Map<Pid, SupervisorDirectory.Entry> byPid) {
    SupervisorSnapshot snapshot;
    try {
      snapshot = handle(entry).inspect(TIMEOUT);
    } catch (CallException e) {
      return new SupervisorDescriptor(
          entry.name(), pidString(entry.pid()), entry.dynamic(), null, null, 0, List.of());
    }
    List<ChildDescriptor> children = new ArrayList<>(snapshot.children().size());
    for (ChildInfo child : snapshot.children()) {
      Pid pid = child.pid();
      SupervisorDirectory.@Nullable Entry nested = pid == null ? null : byPid.get(pid);
      ChildInfo.Failure failure = child.lastFailure();
      children.add(
          new ChildDescriptor(
              child.id(),
              child.name() == null ? null : String.valueOf(child.name()),
              lower(child.type().name()),
              lower(child.restart().name()),
              shutdown(child.shutdown()),
              lower(child.state().name()),
              child.restarts(),
              pid == null ? null : pidString(pid),
              pid == null ? 0 : pid.mailboxDepth(),
              failure == null
                  ? null
                  : new FailureDescriptor(
                      SupervisionTracker.reasonTag(failure.reason()),
                      failure.reason().toString(),
                      failure.at()),
              nested == null ? null : describe(nested, byPid),
              backoff(child)));
    }
    return new SupervisorDescriptor(
        snapshot.name(),
        pidString(snapshot.pid()),
        snapshot.dynamic(),
        lower(snapshot.strategy().name()),
        new Intensity(snapshot.maxRestarts(), snapshot.within()),
        snapshot.restarts(),
        children);
  }

  /* While the child waits out its backoff: how much longer, and when its restart is due. */
  private static @Nullable BackoffDescriptor backoff(ChildInfo child) {
    Duration delay = child.backoff();
    Instant next = child.nextAttempt();
    return delay == null || next == null ? null : new BackoffDescriptor(delay, next);
  }

  private static SupervisorHandle handle(SupervisorDirectory.Entry entry) {
    return entry.dynamic() ? DynamicSupervisorRef.of(entry.pid()) : SupervisorRef.of(entry.pid());
  }

  private static String lower(String constant) {
    return constant.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String shutdown(Shutdown shutdown) {
    return switch (shutdown) {
      case Shutdown.BrutalKill k -> "brutal-kill";
      case Shutdown.Infinity i -> "infinity";
      case Shutdown.Timeout t -> t.timeout().toString();
    };
  }

  /** A pid as shown by the endpoint: {@code <node.id>}, without its label. */
  static String pidString(Pid pid) {
    Node node = pid.node();
    return "<" + node.id() + "." + pid.id() + ">";
  }

  /**
   * Every tree.
   *
   * @param supervisors the root supervisors, the application's first
   */
  public record Trees(List<SupervisorDescriptor> supervisors) {}

  /**
   * One supervisor.
   *
   * @param name its name
   * @param pid its process
   * @param dynamic whether it is a dynamic supervisor
   * @param strategy {@code one-for-one}, {@code one-for-all} or {@code rest-for-one}; null if it
   *     did not answer
   * @param intensity its restart intensity; null if it did not answer
   * @param restarts restarts it has made since it started
   * @param children its children in start order
   */
  public record SupervisorDescriptor(
      String name,
      String pid,
      boolean dynamic,
      @Nullable String strategy,
      @Nullable Intensity intensity,
      long restarts,
      List<ChildDescriptor> children) {}

  /**
   * A restart intensity.
   *
   * @param maxRestarts restarts allowed within the window
   * @param within the window
   */
  public record Intensity(int maxRestarts, Duration within) {}

  /**
   * One child.
   *
   * @param id its id (under a dynamic supervisor, shared by the children started from one spec)
   * @param name the name its process registered under, such as {@code via(room-names, lobby)}
   *     (while it restarts, its last process's); null if it registered under none
   * @param type {@code worker} or {@code supervisor}
   * @param restart {@code permanent}, {@code transient} or {@code temporary}
   * @param shutdown a duration, {@code brutal-kill} or {@code infinity}
   * @param state {@code running}, {@code restarting}, {@code backing-off} or {@code stopped}
   * @param restarts how many times it was restarted
   * @param pid its process while running
   * @param mailboxDepth messages waiting in its mailbox
   * @param lastFailure its last abnormal exit
   * @param supervisor for a running child supervisor, its own description
   * @param backoff while it is {@code backing-off}: its delay and next attempt
   */
  public record ChildDescriptor(
      String id,
      @Nullable String name,
      String type,
      String restart,
      String shutdown,
      String state,
      int restarts,
      @Nullable String pid,
      int mailboxDepth,
      @Nullable FailureDescriptor lastFailure,
      @Nullable SupervisorDescriptor supervisor,
      @Nullable BackoffDescriptor backoff) {}

  /**
   * A child waiting out its restart backoff.
   *
   * @param delay how much longer it waits
   * @param nextAttempt when its restart is due
   */
  public record BackoffDescriptor(Duration delay, Instant nextAttempt) {}

  /**
   * An abnormal exit.
   *
   * @param reason a short word: the exception's simple class name, or killed, noproc
   * @param message the full reason
   * @param at when
   */
  public record FailureDescriptor(String reason, String message, Instant at) {}

  /**
   * The result of a write operation.
   *
   * @param supervisor the supervisor's name
   * @param child the child's id
   * @param action what was done
   * @param pid the child's new pid after a restart of a static child; under a dynamic supervisor
   *     the pid of the process it was done to
   */
  public record ChildAction(String supervisor, String child, String action, @Nullable String pid) {}
}

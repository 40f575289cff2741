package dev.supervision.spring;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.StartIgnoredException;
import dev.supervision.core.supervisor.AutoShutdown;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.ChildType;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Shutdown;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorHandle;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * The application's supervision tree: a root supervisor with the configured supervisors and the
 * supervised beans below it, started and stopped with the application context.
 *
 * {@snippet :
 * SupervisionTree tree = SupervisionTree.builder(node)
 *     .root("root", Strategy.ONE_FOR_ONE, 3, Duration.ofSeconds(5))
 *     .supervisor("chat", null, Strategy.REST_FOR_ONE, 3, Duration.ofSeconds(5))
 *     .dynamicSupervisor("rooms", "chat", 10, Duration.ofSeconds(1), 0)
 *     .child("chat", ChildSpec.server("history", History::new))
 *     .build();
 * tree.start();                         // root -> chat -> [rooms, history]
 * if (tree.supervisor("rooms") instanceof DynamicSupervisorRef rooms) {
 *   rooms.startChild(roomSpec);
 * }
 * tree.stop();                          // history, then rooms, then chat, then the root
 * }
 *
 * <p>Handles: each supervisor of the tree has one, a {@link SupervisorRef} for a static supervisor
 * (the root included) and a {@link DynamicSupervisorRef} for a dynamic one. A handle resolves to
 * the supervisor's current process at every use, so it keeps working after the supervisor's parent
 * restarts it with a new pid; before the tree starts and after it stops, its operations throw
 * {@link CallException.NoProc}.
 *
 * <p>Order: the children of a supervisor are its nested supervisors in the order they were
 * declared, then its other children in the order they were added; they start in that order and stop
 * in reverse. A dynamic supervisor starts its declared children right after itself, every time it
 * starts (they are then ordinary dynamic children).
 *
 * <p>Lifecycle: {@link #start()} starts the root supervisor, which returns once every child has
 * started (a child that fails to start fails the start, and the context's refresh). {@link
 * #stop(Runnable)} stops the root on another thread and calls back once every process of the tree
 * has exited; each child gets its own shutdown timeout. If the root exits on its own (it gave up:
 * more restarts than its intensity allows), the give-up handler runs once, on the root's exiting
 * thread. Thread-safe.
 */
public final class SupervisionTree implements SmartLifecycle, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SupervisionTree.class.getName());

  /** The default lifecycle phase: before the web server starts, after it has drained. */
  public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final Node node;
  private final String rootName;
  private final TrackedSupervisor rootAddress;
  private final SupervisorRef root;
  private final SupervisorSpec rootSpec;
  private final Map<String, SupervisorHandle> supervisors;
  private final Map<String, @Nullable String> parents;
  private final int phase;
  private final Consumer<ExitReason> onGiveUp;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean running;
  private volatile boolean stopping;
  private volatile @Nullable ExitReason giveUpReason;

  private SupervisionTree(
      Builder b,
      SupervisorSpec rootSpec,
      TrackedSupervisor rootAddress,
      Map<String, SupervisorHandle> handles) {
    this.node = b.node;
    this.rootName = b.rootName;
    this.rootAddress = rootAddress;
    this.root = SupervisorRef.of(rootAddress);
    this.rootSpec = rootSpec;
    this.supervisors = Collections.unmodifiableMap(handles);
    Map<String, @Nullable String> p = new LinkedHashMap<>();
    p.put(b.rootName, null);
    b.supervisors.forEach(
        (name, decl) -> p.put(name, decl.parent == null ? b.rootName : decl.parent));
    this.parents = Collections.unmodifiableMap(p);
    this.phase = b.phase;
    this.onGiveUp = b.onGiveUp;
  }

  /** A builder for a tree on {@code node}. */
  public static Builder builder(Node node) {
    return new Builder(node);
  }

  /** The node the tree runs on. */
  public Node node() {
    return node;
  }

  /** The root supervisor's name. */
  public String rootName() {
    return rootName;
  }

  /** The root supervisor. */
  public SupervisorRef root() {
    return root;
  }

  /**
   * The supervisor named {@code name} (the root or a declared one), or {@code null}: a {@link
   * SupervisorRef} for a static supervisor, a {@link DynamicSupervisorRef} for a dynamic one.
   */
  public @Nullable SupervisorHandle supervisor(String name) {
    return supervisors.get(name);
  }

  /** Every supervisor of the tree by name, the root first, then in declaration order. */
  public Map<String, SupervisorHandle> supervisors() {
    return supervisors;
  }

  /**
   * The name of the declared parent of {@code name}; {@code null} for the root or an unknown name.
   */
  public @Nullable String parentOf(String name) {
    return parents.get(name);
  }

  /**
   * Why the root supervisor exited on its own (it gave up), or {@code null} while it runs or after
   * a regular stop.
   */
  public @Nullable ExitReason giveUpReason() {
    return giveUpReason;
  }

  /** Starts the root supervisor and, through it, the whole tree. Idempotent. */
  @Override
  public void start() {
    lock.lock();
    try {
      if (running) {
        return;
      }
      stopping = false;
      giveUpReason = null;
      Pid pid = Supervisor.start(node, rootSpec).pid();
      rootAddress.track(pid);
      node.monitor(pid, (p, reason) -> rootExited(reason));
      running = true;
    } finally {
      lock.unlock();
    }
  }

  private void rootExited(ExitReason reason) {
    if (stopping) {
      return;
    }
    giveUpReason = reason;
    LOG.log(
        System.Logger.Level.ERROR,
        "root supervisor ''{0}'' gave up ({1}); its processes are gone",
        rootName,
        reason);
    try {
      onGiveUp.accept(reason);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "give-up handler failed", e);
    }
  }

  /** Stops the tree and waits until every process of it has exited. Idempotent. */
  @Override
  public void stop() {
    stopping = true;
    lock.lock();
    try {
      Pid pid = root.whereis();
      if (pid != null) {
        try {
          SupervisorRef.of(pid).stop();
        } catch (CallException e) {
          // it exited meanwhile
        }
      }
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the tree on another thread and runs {@code callback} once it has stopped, as Spring's
   * graceful shutdown expects.
   */
  @Override
  public void stop(Runnable callback) {
    stopping = true;
    Thread.ofVirtual()
        .name("supervision-stop")
        .start(
            () -> {
              try {
                stop();
              } finally {
                callback.run();
              }
            });
  }

  /**
   * Stops the tree if it still runs, so that it is never taken for a give-up when the node closes
   * without a lifecycle stop (a failed refresh, for example). The context calls it on destruction.
   */
  @Override
  public void close() {
    stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return phase;
  }

  @Override
  public boolean isPauseable() {
    return false;
  }

  @Override
  public String toString() {
    return "SupervisionTree[root=" + root + ", supervisors=" + supervisors.keySet() + "]";
  }

  /** Declares a tree; {@link #build()} validates it. Not thread-safe. */
  public static final class Builder {
    private final Node node;
    private String rootName = "root";
    private Strategy rootStrategy = Strategy.ONE_FOR_ONE;
    private int rootMaxRestarts = SupervisorSpec.DEFAULT_MAX_RESTARTS;
    private Duration rootWithin = SupervisorSpec.DEFAULT_WITHIN;
    private final LinkedHashMap<String, Decl> supervisors = new LinkedHashMap<>();
    private final List<Member> children = new ArrayList<>();
    private int phase = DEFAULT_PHASE;
    private Consumer<ExitReason> onGiveUp = reason -> {};

    private Builder(Node node) {
      this.node = Objects.requireNonNull(node, "node");
    }

    /** The root supervisor; default {@code root}, one-for-one, 3 restarts in 5 seconds. */
    public Builder root(String name, Strategy strategy, int maxRestarts, Duration within) {
      this.rootName = Objects.requireNonNull(name, "name");
      this.rootStrategy = Objects.requireNonNull(strategy, "strategy");
      this.rootMaxRestarts = maxRestarts;
      this.rootWithin = Objects.requireNonNull(within, "within");
      return this;
    }

    /**
     * A static supervisor under {@code parent} ({@code null} or empty for the root).
     *
     * @throws IllegalArgumentException if a supervisor with that name was already declared
     */
    public Builder supervisor(
        String name, @Nullable String parent, Strategy strategy, int maxRestarts, Duration within) {
      return declare(
          new Decl(
              name,
              blankToNull(parent),
              false,
              strategy,
              maxRestarts,
              within,
              0,
              Restart.PERMANENT,
              false,
              AutoShutdown.NEVER));
    }

    /** A dynamic supervisor under {@code parent} ({@code null} or empty for the root). */
    public Builder dynamicSupervisor(
        String name, @Nullable String parent, int maxRestarts, Duration within, int maxChildren) {
      return declare(
          new Decl(
              name,
              blankToNull(parent),
              true,
              Strategy.ONE_FOR_ONE,
              maxRestarts,
              within,
              maxChildren,
              Restart.PERMANENT,
              false,
              AutoShutdown.NEVER));
    }

    /**
     * How the declared supervisor {@code name} runs as a child of its parent: its restart type and
     * whether it is significant (by default permanent and not significant). A significant child
     * must be transient or temporary, and its parent a static supervisor with an {@link
     * #autoShutdown auto-shutdown}; {@link #build()} checks the latter.
     *
     * @throws IllegalArgumentException if no supervisor {@code name} has been declared, or if
     *     {@code significant} and {@code restart} is permanent (OTP refuses that combination)
     */
    public Builder supervisorAsChild(String name, Restart restart, boolean significant) {
      Decl d = declared(name);
      if (significant && restart == Restart.PERMANENT) {
        throw new IllegalArgumentException(
            "supervisor '"
                + name
                + "' is significant, so its restart must be transient or temporary");
      }
      return redeclare(d, restart, significant, d.autoShutdown);
    }

    /**
     * When the declared static supervisor {@code name} shuts itself down because its significant
     * children have ended (OTP's {@code auto_shutdown}; default {@link AutoShutdown#NEVER}).
     *
     * @throws IllegalArgumentException if no supervisor {@code name} has been declared, or it is a
     *     dynamic one (which has no auto-shutdown, as in Elixir)
     */
    public Builder autoShutdown(String name, AutoShutdown autoShutdown) {
      Objects.requireNonNull(autoShutdown, "autoShutdown");
      Decl d = declared(name);
      if (d.dynamic && autoShutdown != AutoShutdown.NEVER) {
        throw new IllegalArgumentException(
            "supervisor '" + name + "' is dynamic; only a static supervisor has an auto-shutdown");
      }
      return redeclare(d, d.restart, d.significant, autoShutdown);
    }

    private Builder redeclare(
        Decl d, Restart restart, boolean significant, AutoShutdown autoShutdown) {
      supervisors.put(
          d.name,
          new Decl(
              d.name,
              d.parent,
              d.dynamic,
              d.strategy,
              d.maxRestarts,
              d.within,
              d.maxChildren,
              restart,
              significant,
              autoShutdown));
      return this;
    }

    private Decl declared(String name) {
      Decl d = supervisors.get(Objects.requireNonNull(name, "name"));
      if (d == null) {
        throw new IllegalArgumentException(
            "supervisor '" + name + "' has not been declared; declare it first");
      }
      return d;
    }

    private Builder declare(Decl decl) {
      if (supervisors.putIfAbsent(decl.name, decl) != null) {
        throw new IllegalArgumentException("supervisor '" + decl.name + "' is declared twice");
      }
      return this;
    }

    /** A child of {@code supervisor} (empty for the root), after those added before. */
    public Builder child(String supervisor, ChildSpec spec) {
      children.add(new Member(Objects.requireNonNull(supervisor, "supervisor"), spec));
      return this;
    }

    /** The {@link SmartLifecycle} phase; default {@link SupervisionTree#DEFAULT_PHASE}. */
    public Builder phase(int phase) {
      this.phase = phase;
      return this;
    }

    /** What to do when the root supervisor gives up; by default only an error is logged. */
    public Builder onGiveUp(Consumer<ExitReason> onGiveUp) {
      this.onGiveUp = Objects.requireNonNull(onGiveUp, "onGiveUp");
      return this;
    }

    /**
     * Validates the declarations and builds the tree (nothing starts yet).
     *
     * @throws IllegalArgumentException naming the supervisor or child at fault: a name used twice,
     *     an unknown parent, a cycle of parents, a child of an unknown supervisor, two children
     *     with the same id under one static supervisor
     * @throws dev.supervision.core.supervisor.InvalidSpecException for an invalid intensity
     */
    public SupervisionTree build() {
      if (supervisors.containsKey(rootName)) {
        throw new IllegalArgumentException(
            "supervisor '" + rootName + "' has the root supervisor's name");
      }
      for (Decl decl : supervisors.values()) {
        String parent = decl.parent;
        if (parent != null && !parent.equals(rootName) && !supervisors.containsKey(parent)) {
          throw new IllegalArgumentException(
              "supervisor '" + decl.name + "' has parent '" + parent + "', which does not exist");
        }
        List<String> path = cycleFrom(decl.name);
        if (!path.isEmpty()) {
          throw new IllegalArgumentException(
              "supervisors form a cycle of parents: " + String.join(" -> ", path));
        }
      }
      for (Member member : children) {
        String sup = resolve(member.supervisor);
        if (!sup.equals(rootName) && !supervisors.containsKey(sup)) {
          throw new IllegalArgumentException(
              "child '"
                  + member.spec.id()
                  + "' names supervisor '"
                  + sup
                  + "', which does not exist");
        }
      }
      for (Decl decl : supervisors.values()) {
        if (decl.significant) {
          requireAutoShutdown(decl.parent == null ? rootName : decl.parent, decl.name);
        }
      }
      for (Member member : children) {
        if (member.spec.significant()) {
          requireAutoShutdown(resolve(member.supervisor), member.spec.id());
        }
      }
      Map<String, TrackedSupervisor> addresses = new LinkedHashMap<>();
      Map<String, SupervisorHandle> handles = new LinkedHashMap<>();
      TrackedSupervisor rootAddress = new TrackedSupervisor(rootName);
      addresses.put(rootName, rootAddress);
      handles.put(rootName, SupervisorRef.of(rootAddress));
      supervisors.forEach(
          (name, decl) -> {
            TrackedSupervisor address = new TrackedSupervisor(name);
            addresses.put(name, address);
            handles.put(
                name, decl.dynamic ? DynamicSupervisorRef.of(address) : SupervisorRef.of(address));
          });
      SupervisorSpec rootSpec =
          new SupervisorSpec(
              rootName, rootStrategy, rootMaxRestarts, rootWithin, membersOf(rootName, addresses));
      return new SupervisionTree(this, rootSpec, rootAddress, handles);
    }

    /* A significant child needs a static parent with an auto-shutdown (OTP's bad_combination). */
    private void requireAutoShutdown(String supervisor, String child) {
      Decl parent = supervisors.get(supervisor);
      if (parent == null || parent.autoShutdown == AutoShutdown.NEVER) {
        throw new IllegalArgumentException(
            "child '"
                + child
                + "' is significant, but supervisor '"
                + supervisor
                + "' has no auto-shutdown; give it one (any-significant or all-significant)"
                + " or make the child not significant");
      }
    }

    private String resolve(String supervisor) {
      return supervisor.isEmpty() ? rootName : supervisor;
    }

    /* The cycle reached by following parents from `name`, or an empty list. */
    private List<String> cycleFrom(String name) {
      LinkedHashSet<String> seen = new LinkedHashSet<>();
      String current = name;
      while (current != null && !current.equals(rootName)) {
        if (!seen.add(current)) {
          List<String> path = new ArrayList<>(seen);
          path = new ArrayList<>(path.subList(path.indexOf(current), path.size()));
          path.add(current);
          return path;
        }
        Decl decl = supervisors.get(current);
        current = decl == null ? null : decl.parent;
      }
      return List.of();
    }

    private List<ChildSpec> membersOf(String name, Map<String, TrackedSupervisor> addresses) {
      List<ChildSpec> members = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (Decl decl : supervisors.values()) {
        String parent = decl.parent == null ? rootName : decl.parent;
        if (parent.equals(name)) {
          members.add(
              supervisorChild(decl, Objects.requireNonNull(addresses.get(decl.name)), addresses));
        }
      }
      for (Member member : children) {
        if (resolve(member.supervisor).equals(name)) {
          members.add(member.spec);
        }
      }
      boolean dynamic =
          !name.equals(rootName) && Objects.requireNonNull(supervisors.get(name)).dynamic;
      if (!dynamic) {
        for (ChildSpec member : members) {
          if (!ids.add(member.id())) {
            throw new IllegalArgumentException(
                "supervisor '" + name + "' has two children with id '" + member.id() + "'");
          }
        }
      }
      return members;
    }

    private ChildSpec supervisorChild(
        Decl decl, TrackedSupervisor address, Map<String, TrackedSupervisor> addresses) {
      List<ChildSpec> members = membersOf(decl.name, addresses);
      if (!decl.dynamic) {
        SupervisorSpec spec =
            new SupervisorSpec(
                decl.name,
                decl.strategy,
                decl.maxRestarts,
                decl.within,
                members,
                decl.autoShutdown);
        return new ChildSpec(
            decl.name,
            () -> {
              Pid pid = Supervisor.startLink(spec).pid();
              address.track(pid);
              return pid;
            },
            decl.restart,
            Shutdown.infinity(),
            ChildType.SUPERVISOR,
            decl.significant);
      }
      DynamicSupervisorSpec spec =
          new DynamicSupervisorSpec(decl.name, decl.maxRestarts, decl.within, decl.maxChildren);
      return new ChildSpec(
          decl.name,
          () -> {
            DynamicSupervisorRef supervisor = DynamicSupervisor.startLink(spec);
            address.track(supervisor.pid());
            try {
              for (ChildSpec member : members) {
                try {
                  supervisor.startChild(member);
                } catch (StartIgnoredException ignored) {
                  // The member's init answered ignore: as in Elixir, nothing is kept for it.
                }
              }
            } catch (RuntimeException e) {
              supervisor.stop();
              throw e;
            }
            return supervisor.pid();
          },
          decl.restart,
          Shutdown.infinity(),
          ChildType.SUPERVISOR,
          decl.significant);
    }

    private static @Nullable String blankToNull(@Nullable String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }

  private record Decl(
      String name,
      @Nullable String parent,
      boolean dynamic,
      Strategy strategy,
      int maxRestarts,
      Duration within,
      int maxChildren,
      Restart restart,
      boolean significant,
      AutoShutdown autoShutdown) {
    Decl {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(strategy, "strategy");
      Objects.requireNonNull(within, "within");
      Objects.requireNonNull(restart, "restart");
      Objects.requireNonNull(autoShutdown, "autoShutdown");
    }
  }

  private record Member(String supervisor, ChildSpec spec) {}
}

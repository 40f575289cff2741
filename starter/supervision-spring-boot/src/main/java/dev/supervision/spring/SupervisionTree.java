package dev.supervision.spring;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorHandle;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.core.supervisor.TreeSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * The application's supervision tree: a root supervisor with the configured supervisors and the
 * supervised beans below it, started and stopped with the application context.
 *
 * {@snippet :
 * TreeSpec spec = TreeSpec.builder(SupervisorSpec.of("root", Strategy.ONE_FOR_ONE))
 *     .supervisor("root", SupervisorSpec.of("chat", Strategy.REST_FOR_ONE))
 *     .supervisor("chat", DynamicSupervisorSpec.of("rooms").withIntensity(10, Duration.ofSeconds(1)))
 *     .child("chat", ChildSpec.server("history", History::new))
 *     .build();
 * SupervisionTree tree = new SupervisionTree(node, spec);
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
 * <p>Order and rules: those of the {@link TreeSpec}, which has checked the tree.
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
  private final TreeSpec spec;
  private final TrackedSupervisor rootAddress;
  private final SupervisorRef root;
  private final SupervisorSpec rootSpec;
  private final Map<String, SupervisorHandle> supervisors;
  private final int phase;
  private final Consumer<ExitReason> onGiveUp;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean running;
  private volatile boolean stopping;
  private volatile @Nullable ExitReason giveUpReason;

  /**
   * A tree of {@code spec} on {@code node}, in the {@linkplain #DEFAULT_PHASE default phase}, that
   * only logs when the root gives up. Nothing starts yet.
   */
  public SupervisionTree(Node node, TreeSpec spec) {
    this(node, spec, DEFAULT_PHASE, reason -> {});
  }

  /**
   * A tree of {@code spec} on {@code node}: nothing starts yet.
   *
   * @param phase the {@link SmartLifecycle} phase
   * @param onGiveUp what to do, besides logging an error, when the root supervisor gives up
   */
  public SupervisionTree(Node node, TreeSpec spec, int phase, Consumer<ExitReason> onGiveUp) {
    this.node = Objects.requireNonNull(node, "node");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.phase = phase;
    this.onGiveUp = Objects.requireNonNull(onGiveUp, "onGiveUp");
    Map<String, TrackedSupervisor> addresses = new LinkedHashMap<>();
    Map<String, SupervisorHandle> handles = new LinkedHashMap<>();
    for (String name : spec.supervisors()) {
      TrackedSupervisor address = new TrackedSupervisor(name);
      addresses.put(name, address);
      handles.put(
          name,
          spec.isDynamic(name) ? DynamicSupervisorRef.of(address) : SupervisorRef.of(address));
    }
    this.rootAddress = Objects.requireNonNull(addresses.get(spec.rootName()));
    this.root = SupervisorRef.of(rootAddress);
    this.supervisors = Collections.unmodifiableMap(handles);
    this.rootSpec =
        spec.toSupervisorSpec(
            (name, pid) -> Objects.requireNonNull(addresses.get(name)).track(pid));
  }

  /** The node the tree runs on. */
  public Node node() {
    return node;
  }

  /** The tree's spec. */
  public TreeSpec spec() {
    return spec;
  }

  /** The root supervisor's name. */
  public String rootName() {
    return spec.rootName();
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
        spec.rootName(),
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
}

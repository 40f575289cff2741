package dev.supervision.hazelcast;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildException;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A server that runs once in the whole cluster, on its oldest member (Pekko's {@code
 * ClusterSingleton}; Horde's distributed supervisor with one child), reached by name from every
 * member.
 *
 * {@snippet :
 * ClusterSingleton<Counter.Message> leader =
 *     ClusterSingleton.start(cluster, "leader", Counter::new); // the same call on every member
 * leader.ref().cast(new Counter.Add(1)); // from any member, to wherever it runs
 * long value = leader.ref().call(Counter.Get::new);
 * }
 *
 * <p>Start it on every member, with the same name and factory. Every member watches the membership:
 * the oldest member ({@link ClusterNode#members()} lists it first), if its side of the cluster has
 * at least {@link ClusterOptions#minimumSize()} members, starts the instance under a local {@code
 * DynamicSupervisor}, registered under the cluster name {@code "singleton/" + name} ({@link
 * ClusterRegistry}); every other member stops the one it runs, if any. The registration, atomic on
 * the name's partition, is what keeps one live instance while the cluster is whole.
 *
 * <table>
 *   <caption>Where the instance runs</caption>
 *   <tr><th>event</th><th>effect</th></tr>
 *   <tr><td>started on every member</td><td>runs on the oldest member</td></tr>
 *   <tr><td>it crashes</td><td>restarted on the same member by its local supervisor, by its
 *   {@link Restart} type (default {@code TRANSIENT}) and the supervisor's intensity; a normal exit
 *   leaves it stopped until the oldest member changes</td></tr>
 *   <tr><td>the oldest member dies or leaves</td><td>started on the next oldest as soon as the
 *   cluster has removed the member (its failure detection); state reloaded by {@code init}; calls
 *   in flight get {@code CallException.NodeDown}, calls meanwhile {@code
 *   CallException.NoProc}</td></tr>
 *   <tr><td>a member joins</td><td>nothing: a new member is the youngest</td></tr>
 *   <tr><td>a side below the minimum size</td><td>stops its instance (exit {@code shutdown}); the
 *   side with quorum starts one on its own oldest member</td></tr>
 *   <tr><td>a partition heals</td><td>the side that merges into the other is no longer oldest and
 *   stops its instance; two instances that meet settle as names do ({@link ClusterRegistry})</td>
 *   </tr>
 * </table>
 *
 * <p>Messages must be serializable as for any remote call ({@link ClusterOptions}). Closing it on a
 * member stops the instance there; the other members start the next one when the oldest member
 * changes, so close it on every member, or shut the member down. Thread-safe.
 *
 * @param <M> the instance's protocol
 */
public final class ClusterSingleton<M> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ClusterSingleton.class.getName());
  /* How long a start waits for another member to give the name up before it tries again. */
  private static final Duration HANDOFF_WAIT = Duration.ofSeconds(5);
  private static final long RECHECK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final Set<Started> STARTED = ConcurrentHashMap.newKeySet();

  private final ClusterNode cluster;
  private final String name;
  private final ClusterName clusterName;
  private final ChildSpec spec;
  private final DynamicSupervisorRef supervisor;
  /* Reconciliations, which block on the supervisor and the cluster map: one at a time. */
  private final ExecutorService work;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Runnable watcher = this::reconcileSoon;
  private volatile boolean closed;

  private record Started(ClusterNode cluster, String name) {}

  private ClusterSingleton(
      ClusterNode cluster, String name, Supplier<? extends Server<M>> factory, Restart restart) {
    this.cluster = cluster;
    this.name = name;
    this.clusterName = cluster.registry().via("singleton/" + name);
    this.spec =
        ChildSpec.server("singleton-" + name, factory, StartOptions.named(clusterName))
            .withRestart(restart);
    this.work =
        Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("supervision-singleton-" + name).factory());
    this.supervisor =
        DynamicSupervisor.start(cluster.node(), DynamicSupervisorSpec.of("singleton-" + name));
    cluster
        .node()
        .monitor(
            supervisor.pid(),
            (pid, reason) -> {
              if (!closed && !(reason instanceof ExitReason.Normal)) {
                LOG.log(
                    System.Logger.Level.ERROR,
                    "the supervisor of cluster singleton '"
                        + name
                        + "' exited ("
                        + reason
                        + "): this member will not run it again");
              }
            });
    cluster.watchMembers(watcher);
  }

  /**
   * Starts the singleton {@code name} on this member: its instance, made by {@code factory}, runs
   * here whenever this is the oldest member of a side with quorum, as a {@code TRANSIENT} child of
   * a local dynamic supervisor. Start it on every member. On the oldest member it returns once the
   * instance runs (or, if another member still holds the name, after up to 10 s, the start going on
   * in the background).
   *
   * @throws IllegalStateException if a singleton of that name already runs on this cluster node
   */
  public static <M> ClusterSingleton<M> start(
      ClusterNode cluster, String name, Supplier<? extends Server<M>> factory) {
    return start(cluster, name, factory, Restart.TRANSIENT);
  }

  /** As {@link #start(ClusterNode, String, Supplier)}, with an instance of type {@code restart}. */
  public static <M> ClusterSingleton<M> start(
      ClusterNode cluster, String name, Supplier<? extends Server<M>> factory, Restart restart) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(restart, "restart");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must be non-blank but was '" + name + "'");
    }
    if (!STARTED.add(new Started(cluster, name))) {
      throw new IllegalStateException(
          "cluster singleton '" + name + "' already runs on this cluster node");
    }
    ClusterSingleton<M> singleton;
    try {
      singleton = new ClusterSingleton<>(cluster, name, factory, restart);
    } catch (RuntimeException e) {
      STARTED.remove(new Started(cluster, name));
      throw e;
    }
    singleton.firstReconcile();
    return singleton;
  }

  /** The name, the same on every member. */
  public String name() {
    return name;
  }

  /**
   * A handle on the instance, wherever it runs (through its cluster name): a call fails with {@code
   * CallException.NoProc} while no member runs it (during a failover), a cast is then dropped.
   */
  public ServerRef<M> ref() {
    return ServerRef.of(clusterName);
  }

  /** The instance, wherever it runs, or {@code null} if no member runs it now. */
  public @Nullable GlobalPid whereis() {
    return clusterName.holder();
  }

  /** The instance if it runs on this member, else {@code null}. */
  public @Nullable Pid localInstance() {
    return clusterName.whereis();
  }

  /** The local supervisor of the instance when it runs here. */
  public DynamicSupervisorRef supervisor() {
    return supervisor;
  }

  private boolean runsHere() {
    return !closed
        && !cluster.leaving()
        && cluster.hazelcast().getLifecycleService().isRunning()
        && cluster.isOldest()
        && cluster.hasQuorum();
  }

  /* At the start, on the caller's thread: waits until the instance runs if it is to run here. */
  private void firstReconcile() {
    Future<?> first = work.submit(this::reconcile);
    try {
      first.get(HANDOFF_WAIT.toSeconds() * 2, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      LOG.log(System.Logger.Level.WARNING, "cluster singleton '" + name + "' failed", e.getCause());
    } catch (TimeoutException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cluster singleton '" + name + "' is not running yet; it starts in the background");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /* Called on a membership change (on Hazelcast's event thread): must not block. */
  private void reconcileSoon() {
    if (closed || !queued.compareAndSet(false, true)) {
      return;
    }
    try {
      work.execute(
          () -> {
            queued.set(false);
            try {
              reconcile();
            } catch (RuntimeException e) {
              if (!closed && cluster.hazelcast().getLifecycleService().isRunning()) {
                LOG.log(System.Logger.Level.WARNING, "cluster singleton '" + name + "' failed", e);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      queued.set(false); // closed
    }
  }

  private void reconcile() {
    if (supervisor.whereis() == null) {
      return;
    }
    boolean running = !supervisor.whichChildren().isEmpty();
    if (runsHere()) {
      if (!running) {
        startHere();
      }
    } else if (running) {
      stopHere(
          !cluster.hazelcast().getLifecycleService().isRunning()
              ? "its Hazelcast member is shutting down"
              : cluster.hasQuorum()
                  ? "this member is no longer the oldest"
                  : "this side of the cluster has "
                      + cluster.members().size()
                      + " member(s), fewer than the minimum size "
                      + cluster.options().minimumSize());
    }
  }

  private void startHere() {
    long deadline = System.nanoTime() + HANDOFF_WAIT.toNanos();
    while (runsHere()) {
      try {
        Pid pid = supervisor.startChild(spec);
        LOG.log(
            System.Logger.Level.INFO,
            () -> "cluster singleton '" + name + "' started on this member, the oldest: " + pid);
        return;
      } catch (ChildException.StartFailed e) {
        NameTakenException taken = Handoff.cause(e, NameTakenException.class);
        if (taken == null) {
          if (Handoff.cause(e, NoQuorumException.class) != null) {
            return; // quorum lost meanwhile: the membership change that lost it reconciles again
          }
          LOG.log(
              System.Logger.Level.ERROR,
              "cluster singleton '" + name + "' could not start on this member",
              e);
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.log(
              System.Logger.Level.WARNING,
              "cluster singleton '"
                  + name
                  + "' is still held by "
                  + taken.holder()
                  + " after "
                  + HANDOFF_WAIT
                  + "; trying again");
          reconcileSoon();
          return;
        }
        // Another member still runs it (it has yet to see that it is no longer the oldest).
        Handoff.awaitRelease(
            cluster.registry(),
            clusterName.name(),
            taken.holder(),
            Math.min(RECHECK_EVERY_NANOS, left),
            () -> {});
      }
    }
  }

  private void stopHere(String why) {
    for (ChildInfo child : supervisor.whichChildren()) {
      Pid pid = child.pid();
      if (pid != null) {
        try {
          supervisor.terminateChild(pid);
        } catch (ChildException.NotFound e) {
          // it had exited already
        }
      }
    }
    cluster.registry().unregister(clusterName.name());
    LOG.log(
        System.Logger.Level.INFO,
        "cluster singleton '" + name + "' stopped on this member: " + why);
  }

  /** Stops the instance if it runs on this member, and stops watching the membership. */
  @Override
  public void close() {
    closed = true;
    cluster.unwatchMembers(watcher);
    Shutdowns.shutdown(work, Duration.ofSeconds(10));
    Shutdowns.stop(supervisor);
    if (cluster.hazelcast().getLifecycleService().isRunning()) {
      cluster.registry().unregister(clusterName.name());
    }
    STARTED.remove(new Started(cluster, name));
  }

  @Override
  public String toString() {
    return "ClusterSingleton[" + name + " on " + cluster + "]";
  }
}

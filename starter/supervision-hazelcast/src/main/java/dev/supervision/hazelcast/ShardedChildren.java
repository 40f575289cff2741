package dev.supervision.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.RemoteAddress;
import dev.supervision.core.server.RemoteCall;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildException;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Servers placed across the cluster by key, one per key (Pekko's Cluster Sharding, Horde's
 * distributed supervisor): the child of a key runs on the member that owns the key, under a local
 * {@code DynamicSupervisor} there, and is reached by key from every member.
 *
 * {@snippet :
 * ShardedChildren<String, Counter.Message> counters =
 *     ShardedChildren.start(cluster, "counters", key -> new Counter());
 * counters.ref("ada").cast(new Counter.Add(1)); // started on the key's owner on first use
 * long value = counters.ref("ada").call(Counter.Get::new); // from any member
 * }
 *
 * <p>Start it on every member, with the same name and factory. A key's owner is the Hazelcast
 * partition owner of the key's cluster name, {@code name + "/" + key} (so a key is identified by
 * its {@code toString()}, which must be the same on every member); the child is registered under
 * that cluster name ({@link ClusterRegistry}), and the registration, atomic on that same partition,
 * is what keeps one live child per key while the cluster is whole.
 *
 * <table>
 *   <caption>What happens to a key's child</caption>
 *   <tr><th>event</th><th>effect</th></tr>
 *   <tr><td>first call or cast by key, from any member</td><td>started on the owner, then given
 *   the message; messages that come meanwhile wait for it, in order</td></tr>
 *   <tr><td>it crashes</td><td>restarted by the owner's local supervisor by its {@link Restart}
 *   type (default {@code TRANSIENT}) and the supervisor's intensity, as any dynamic child</td></tr>
 *   <tr><td>its member leaves or dies</td><td>started again on the key's new owner at the next
 *   message (its state reloaded by {@code init}, as after any restart); calls in flight to it fail
 *   with {@code CallException.NodeDown}</td></tr>
 *   <tr><td>a member joins and the key's partition moves to it</td><td>stopped on the old owner
 *   (exit {@code shutdown}) and only then started on the new one, at the next message: the new
 *   child cannot register the key's name before the old one has exited and given it up</td></tr>
 *   <tr><td>a call lands on a member that no longer owns the key</td><td>sent once more to the
 *   owner seen then; {@link KeyMovedException} (retriable, nothing delivered) if that fails
 *   too</td></tr>
 *   <tr><td>a side below the minimum size</td><td>refuses to start children ({@link
 *   NoQuorumException} to the caller); children already running go on</td></tr>
 * </table>
 *
 * <p>Messages must be serializable as for any remote call ({@link ClusterOptions}); keys too (they
 * travel inside messages). A {@code ServerRef} from {@link #ref} works on its member only: to hand
 * one to another member, send the key. Thread-safe.
 *
 * @param <K> the key type
 * @param <M> the children's protocol
 */
public final class ShardedChildren<K, M> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ShardedChildren.class.getName());
  /* How long a start waits for another member to give a key up before the caller is told. */
  private static final Duration HANDOFF_WAIT = Duration.ofSeconds(5);
  /* How often it asks that member again meanwhile (its partition table may lag behind ours). */
  private static final long RELEASE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final ClusterNode cluster;
  private final Transport transport;
  private final String name;
  private final Function<? super K, ? extends Server<M>> factory;
  private final Restart restart;
  private final DynamicSupervisorRef supervisor;
  /* The child of each key running here, with the supervisor instance that started it. */
  private final ConcurrentHashMap<K, Placed> children = new ConcurrentHashMap<>();
  /*
   * Messages for keys whose child is being started here, in arrival order. Unbounded: a queue
   * lives only while one start runs (bounded by the handoff wait and the child's init timeout).
   */
  private final ConcurrentHashMap<K, ArrayDeque<Delivery>> waiting = new ConcurrentHashMap<>();
  /* Starts and hand-offs, which block on the supervisor and the cluster map. */
  private final ExecutorService work;
  private final AtomicBoolean sweepQueued = new AtomicBoolean();
  private final UUID migrations;
  private final Transport.Region region = new Inbound();

  /* `next` completes with the child's restarted pid, or null when it will not come back. */
  private record Placed(Pid child, Pid supervisor, CompletableFuture<@Nullable Pid> next) {}

  /* A message for a key's child: a cast, or a call's message with its answer. */
  private record Delivery(Object message, Transport.@Nullable Answer answer) {
    void to(Pid pid) {
      if (answer == null) {
        ServerRef.of(pid).cast(message);
      } else {
        answer.deliverTo(pid, message);
      }
    }

    void failed(RuntimeException error) {
      if (answer == null) {
        LOG.log(System.Logger.Level.DEBUG, "dropped a keyed cast: " + error.getMessage());
      } else if (error instanceof KeyMovedException) {
        answer.moved();
      } else {
        answer.thrown(error);
      }
    }
  }

  /* Asks the member running a key's child to stop it, because it no longer owns the key. */
  enum Release {
    INSTANCE
  }

  private ShardedChildren(
      ClusterNode cluster,
      String name,
      Function<? super K, ? extends Server<M>> factory,
      Restart restart) {
    this.cluster = cluster;
    this.transport = cluster.transport();
    this.name = name;
    this.factory = factory;
    this.restart = restart;
    this.work =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("supervision-sharded-" + name + "-", 0).factory());
    this.supervisor =
        DynamicSupervisor.start(cluster.node(), DynamicSupervisorSpec.of("sharded-" + name));
    if (!transport.addRegion(region)) {
      work.shutdown();
      supervisor.stop();
      throw new IllegalStateException(
          "sharded children '" + name + "' already run on this cluster node");
    }
    this.migrations =
        cluster.hazelcast().getPartitionService().addMigrationListener(new Migrations());
  }

  /**
   * Starts the sharded children {@code name} on this member: keys' children made by {@code factory}
   * from their key, as {@code TRANSIENT} children of a local dynamic supervisor. Start it on every
   * member.
   *
   * @throws IllegalStateException if sharded children of that name already run on this cluster node
   */
  public static <K, M> ShardedChildren<K, M> start(
      ClusterNode cluster, String name, Function<? super K, ? extends Server<M>> factory) {
    return start(cluster, name, factory, Restart.TRANSIENT);
  }

  /**
   * As {@link #start(ClusterNode, String, Function)}, with children of restart type {@code
   * restart}.
   */
  public static <K, M> ShardedChildren<K, M> start(
      ClusterNode cluster,
      String name,
      Function<? super K, ? extends Server<M>> factory,
      Restart restart) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(restart, "restart");
    if (name == null || name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException(
          "name must be non-blank and without '/' but was '" + name + "'");
    }
    return new ShardedChildren<>(cluster, name, factory, restart);
  }

  /** The name, the same on every member. */
  public String name() {
    return name;
  }

  /** The local supervisor of the children running on this member. */
  public DynamicSupervisorRef supervisor() {
    return supervisor;
  }

  /**
   * A handle on the child of {@code key}, wherever it runs: a call or cast through it starts the
   * child on the key's owner if none runs. Usable on this member only.
   */
  public ServerRef<M> ref(K key) {
    return ServerRef.of(new KeyAddress(Objects.requireNonNull(key, "key")));
  }

  /** The member that owns {@code key} now: where its child runs or will start. */
  public UUID ownerOf(K key) {
    Member owner = owner(Objects.requireNonNull(key, "key"));
    if (owner == null) {
      throw new IllegalStateException("the partitions of the cluster are not assigned yet");
    }
    return owner.getUuid();
  }

  /** The children running on this member now, by key. */
  public Map<K, Pid> localChildren() {
    Map<K, Pid> live = new LinkedHashMap<>();
    children.forEach(
        (key, placed) -> {
          if (placed.child().isAlive()) {
            live.put(key, placed.child());
          }
        });
    return live;
  }

  /* The cluster name a key's child is registered under. */
  private String clusterName(Object key) {
    return name + "/" + key;
  }

  private @Nullable Member owner(Object key) {
    return cluster.hazelcast().getPartitionService().getPartition(clusterName(key)).getOwner();
  }

  private boolean ownsHere(Object key) {
    Member owner = owner(key);
    return owner != null && transport.isLocal(owner.getUuid());
  }

  /*
   * Whether to start the key's child here for a message that came here: this member owns the key,
   * or does not know the owner yet (its partition table lags behind the sender's), or the message
   * was forwarded here already. Uniqueness does not rest on this: the child's cluster name does.
   */
  private boolean startsHere(Object key, int hops) {
    Member owner = owner(key);
    return owner == null || transport.isLocal(owner.getUuid()) || hops > 0;
  }

  private @Nullable Pid liveChild(K key) {
    Placed placed = children.get(key);
    return placed != null && placed.child().isAlive() ? placed.child() : null;
  }

  /* The sender's side: to the owner's member, looped back through the transport if it is this. */
  private void route(K key, Object message, @Nullable RemoteCall call, int hops) {
    Member owner = owner(key);
    if (owner == null) {
      if (call != null) {
        call.fail(new KeyMovedException("(none: partitions not assigned)"));
      }
      return;
    }
    Transport.Keyed keyed = new Transport.Keyed(name, key, message, hops);
    if (call == null) {
      transport.castKeyed(owner.getUuid(), keyed);
    } else {
      // Answered MOVED: the members' partition tables disagree for a moment, or the key moved.
      // Send it once more, to the owner seen now, marked as forwarded: that member takes it.
      transport.callKeyed(
          owner.getUuid(), keyed, call, hops == 0 ? () -> route(key, message, call, 1) : null);
    }
  }

  /* The owner's side, on the inbox's thread (or the sender's, looped back): never blocks. */
  void receiveCast(Transport.Keyed keyed) {
    K key = key(keyed);
    if (keyed.message() == Release.INSTANCE) {
      submit(() -> release(key));
    } else {
      deliver(key, new Delivery(keyed.message(), null), keyed.hops());
    }
  }

  void receiveCall(Transport.Keyed keyed, Transport.Answer answer) {
    deliver(key(keyed), new Delivery(keyed.message(), answer), keyed.hops());
  }

  /* Keys arrive as the Object they were sent as: the same K on every member of one region. */
  @SuppressWarnings("unchecked")
  private K key(Transport.Keyed keyed) {
    return (K) keyed.key();
  }

  private static final int DELIVERED = 0;
  private static final int START = 1;
  private static final int ELSEWHERE = 2;

  private void deliver(K key, Delivery delivery, int hops) {
    int[] next = {DELIVERED};
    waiting.compute(
        key,
        (k, queue) -> {
          if (queue == null) {
            Pid pid = liveChild(k);
            if (pid != null) {
              delivery.to(pid);
              return null;
            }
            if (!startsHere(k, hops)) {
              next[0] = ELSEWHERE;
              return null;
            }
            queue = new ArrayDeque<>();
            next[0] = START;
          }
          queue.add(delivery);
          return queue;
        });
    if (next[0] == START) {
      if (!submit(() -> place(key, hops > 0))) {
        waiting.remove(key);
      }
    } else if (next[0] == ELSEWHERE) {
      Member owner = owner(key);
      if (delivery.answer() != null) {
        delivery.answer().moved();
      } else if (hops == 0 && owner != null && !transport.isLocal(owner.getUuid())) {
        transport.castKeyed(owner.getUuid(), new Transport.Keyed(name, key, delivery.message(), 1));
      }
    }
  }

  private boolean submit(Runnable task) {
    try {
      work.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.log(System.Logger.Level.WARNING, "sharded children '" + name + "' failed", e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      return false; // closed
    }
  }

  /* On a worker: starts the key's child (or waits for its restart), then hands it what waited. */
  private void place(K key, boolean forwarded) {
    Pid pid = null;
    RuntimeException error = null;
    try {
      pid = startOrAwait(key, forwarded);
    } catch (RuntimeException e) {
      error = e;
    }
    Pid found = pid;
    RuntimeException failure = error;
    waiting.compute(
        key,
        (k, queue) -> {
          if (queue != null) {
            for (Delivery d : queue) {
              if (found != null) {
                d.to(found);
              } else {
                d.failed(failure == null ? new KeyMovedException(where()) : failure);
              }
            }
          }
          return null;
        });
  }

  private String where() {
    return transport.name(transport.self());
  }

  private Pid startOrAwait(K key, boolean forwarded) {
    long deadline = System.nanoTime() + HANDOFF_WAIT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      Placed placed = children.get(key);
      if (placed != null) {
        if (placed.child().isAlive()) {
          return placed.child();
        }
        if (restarting(placed)) {
          Pid back = Handoff.await(placed.next(), deadline - System.nanoTime());
          if (back != null && back.isAlive()) {
            return back;
          }
          continue;
        }
        if (children.remove(key, placed)) {
          placed.next().complete(null);
        }
      }
      if (!startsHere(key, forwarded ? 1 : 0)) {
        throw new KeyMovedException(where());
      }
      try {
        supervisor.startChild(spec(key));
        Placed now = children.get(key);
        if (now != null) {
          return now.child();
        }
      } catch (ChildException.StartFailed e) {
        NameTakenException taken = Handoff.cause(e, NameTakenException.class);
        if (taken == null) {
          NoQuorumException noQuorum = Handoff.cause(e, NoQuorumException.class);
          throw noQuorum != null ? noQuorum : e;
        }
        awaitRelease(key, taken.holder(), deadline);
      }
    }
    throw new KeyMovedException(where());
  }

  /*
   * Another member's process holds the key's name: that member ran the key before it moved here.
   * Ask it to let go, and wait for the name to change (asking again now and then, since its view
   * of the partitions may lag behind this member's).
   */
  private void awaitRelease(K key, GlobalPid holder, long deadline) {
    Handoff.awaitRelease(
        cluster.registry(),
        clusterName(key),
        holder,
        Math.min(RELEASE_EVERY_NANOS, deadline - System.nanoTime()),
        () ->
            transport.castKeyed(
                holder.member(), new Transport.Keyed(name, key, Release.INSTANCE, 0)));
  }

  private boolean restarting(Placed placed) {
    return supervisor.whereis() == placed.supervisor()
        && placed.child().exitReason().map(restart::restartsAfter).orElse(true);
  }

  private ChildSpec spec(K key) {
    StartOptions options =
        StartOptions.named(cluster.registry().via(clusterName(key))).withLabel(String.valueOf(key));
    return ChildSpec.worker(
            "sharded-" + name,
            () -> {
              Pid pid = GenServer.startLink(() -> factory.apply(key), options).pid();
              // In the supervisor, at every start and restart: the key's child is this one now.
              Pid self = ProcessContext.current().orElseThrow().self();
              Placed placed = new Placed(pid, self, new CompletableFuture<@Nullable Pid>());
              Placed before = children.put(key, placed);
              if (before != null) {
                before.next().complete(pid);
              }
              pid.node()
                  .monitor(
                      pid,
                      (p, reason) -> {
                        if (!restart.restartsAfter(reason) && children.remove(key, placed)) {
                          placed.next().complete(null);
                        }
                      });
              return pid;
            })
        .withRestart(restart);
  }

  /* On a worker: stops the key's child here if this member no longer owns the key. */
  private void release(K key) {
    if (ownsHere(key)) {
      return;
    }
    Placed placed = children.remove(key);
    if (placed == null) {
      return;
    }
    placed.next().complete(null);
    try {
      supervisor.terminateChild(placed.child());
    } catch (ChildException.NotFound e) {
      // it had exited already
    }
    cluster.registry().unregister(clusterName(key));
    LOG.log(
        System.Logger.Level.DEBUG,
        () ->
            "sharded child '" + clusterName(key) + "' handed off: its key moved to another member");
  }

  /* Called when partitions may have moved (a migration, a member joining or leaving, a merge). */
  void sweepSoon() {
    if (sweepQueued.compareAndSet(false, true)) {
      boolean queued =
          submit(
              () -> {
                sweepQueued.set(false);
                for (K key : List.copyOf(children.keySet())) {
                  release(key);
                }
              });
      if (!queued) {
        sweepQueued.set(false);
      }
    }
  }

  /* What the transport hands keyed messages for this region to. */
  private final class Inbound implements Transport.Region {
    @Override
    public String name() {
      return name;
    }

    @Override
    public void receiveCast(Transport.Keyed keyed) {
      ShardedChildren.this.receiveCast(keyed);
    }

    @Override
    public void receiveCall(Transport.Keyed keyed, Transport.Answer answer) {
      ShardedChildren.this.receiveCall(keyed, answer);
    }

    @Override
    public void sweepSoon() {
      ShardedChildren.this.sweepSoon();
    }
  }

  private final class Migrations implements MigrationListener {
    @Override
    public void migrationStarted(MigrationState state) {}

    @Override
    public void migrationFinished(MigrationState state) {
      sweepSoon();
    }

    @Override
    public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
      if (event.getReplicaIndex() == 0) {
        sweepSoon();
      }
    }

    @Override
    public void replicaMigrationFailed(ReplicaMigrationEvent event) {}
  }

  /** Stops the children running on this member and stops routing keys to this member's side. */
  @Override
  public void close() {
    transport.removeRegion(region);
    if (cluster.hazelcast().getLifecycleService().isRunning()) {
      try {
        cluster.hazelcast().getPartitionService().removeMigrationListener(migrations);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "could not remove the migration listener", e);
      }
    }
    Shutdowns.shutdown(work, Duration.ofSeconds(10));
    Shutdowns.stop(supervisor);
  }

  @Override
  public String toString() {
    return "ShardedChildren[" + name + " on " + cluster + "]";
  }

  /* A key as an address: resolved to its owner at every use. */
  private final class KeyAddress implements RemoteAddress {
    private final K key;

    KeyAddress(K key) {
      this.key = key;
    }

    /* The child, if it runs here and has no messages waiting for it (so order is kept). */
    @Override
    public @Nullable Pid whereis() {
      return waiting.containsKey(key) ? null : liveChild(key);
    }

    @Override
    public void cast(Object message) {
      route(key, Objects.requireNonNull(message, "message"), null, 0);
    }

    @Override
    public void call(Object message, RemoteCall call, Duration timeout) {
      route(key, message, call, 0);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof ShardedChildren<?, ?>.KeyAddress other
          && other.region() == ShardedChildren.this
          && other.key.equals(key);
    }

    private ShardedChildren<K, M> region() {
      return ShardedChildren.this;
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + key.hashCode();
    }

    @Override
    public String toString() {
      return "{sharded, " + name + ", " + key + "}";
    }
  }
}

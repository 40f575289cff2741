package dev.supervision.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ServerRef;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A local {@link Node} joined to a Hazelcast cluster: the Erlang node connected to the others.
 * Through it, servers are called and cast to from any member ({@link #export}), names are held once
 * cluster-wide ({@link #registry()}) and processes form groups across members ({@link #groups()}).
 *
 * {@snippet :
 * try (ClusterNode cluster = ClusterNode.join(node, hazelcast)) {
 *   ServerRef<Counter.Message> counter = cluster.export(GenServer.start(node, Counter::new));
 *   // counter may now be sent to, and called from, any member
 * }
 * }
 *
 * <p>One cluster node per Hazelcast member. Closing it removes its listeners and fails the calls
 * still waiting on other members; it neither closes the node nor shuts the member down, which the
 * application owns.
 *
 * <table>
 *   <caption>Failure detection (Hazelcast's)</caption>
 *   <tr><th>a member that</th><th>is removed after</th></tr>
 *   <tr><td>shuts down or whose process dies (connection closed)</td><td>at once</td></tr>
 *   <tr><td>hangs or becomes unreachable</td><td>{@code hazelcast.max.no.heartbeat.seconds}
 *   (Hazelcast's default 60 s; the Spring configuration sets {@code
 *   supervision.cluster.failure-detection})</td></tr>
 * </table>
 */
public final class ClusterNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());

  private final Node node;
  private final HazelcastInstance hz;
  private final ClusterOptions options;
  private final Transport transport;
  private final ClusterRegistry registry;
  private final ProcessGroups groups;
  /* Blocking Hazelcast work asked for by listeners, which must not block: one at a time. */
  private final ExecutorService background;
  private final UUID membership;
  private final UUID lifecycle;
  /* Told of every membership change and merge (singletons); must only schedule work. */
  private final List<Runnable> membersWatchers = new CopyOnWriteArrayList<>();
  private volatile boolean leaving;

  private ClusterNode(Node node, HazelcastInstance hz, ClusterOptions options) {
    this.node = node;
    this.hz = hz;
    this.options = options;
    this.background =
        Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("supervision-cluster-" + node.name()).factory());
    this.transport = new Transport(this, hz, node, options);
    this.registry = new ClusterRegistry(this, transport);
    this.groups = new ProcessGroups(this, transport);
    transport.open();
    registry.open();
    this.membership = hz.getCluster().addMembershipListener(new Membership());
    this.lifecycle = hz.getLifecycleService().addLifecycleListener(this::lifecycleChanged);
  }

  /** Joins {@code node} to the cluster of {@code hazelcast}, with the default options. */
  public static ClusterNode join(Node node, HazelcastInstance hazelcast) {
    return join(node, hazelcast, ClusterOptions.DEFAULTS);
  }

  /**
   * Joins {@code node} to the cluster of {@code hazelcast}, a running member.
   *
   * @throws IllegalStateException if the member is not running
   */
  public static ClusterNode join(Node node, HazelcastInstance hazelcast, ClusterOptions options) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(hazelcast, "hazelcast");
    Objects.requireNonNull(options, "options");
    if (!hazelcast.getLifecycleService().isRunning()) {
      throw new IllegalStateException(
          "Hazelcast instance " + hazelcast.getName() + " is not running");
    }
    return new ClusterNode(node, hazelcast, options);
  }

  /** The local node. */
  public Node node() {
    return node;
  }

  /** The Hazelcast member this node runs on. */
  public HazelcastInstance hazelcast() {
    return hz;
  }

  /** The options it was joined with. */
  public ClusterOptions options() {
    return options;
  }

  /** This member's identity now (Hazelcast gives it a new one when it merges after a split). */
  public UUID member() {
    return transport.self();
  }

  /** The members of the cluster as this member sees it, oldest first. */
  public Set<Member> members() {
    return hz.getCluster().getMembers();
  }

  /** Whether this side of the cluster has at least {@link ClusterOptions#minimumSize()} members. */
  public boolean hasQuorum() {
    return members().size() >= options.minimumSize();
  }

  /**
   * The address of {@code pid}, a process of this node, valid on every member.
   *
   * @throws IllegalArgumentException if the process runs on another node
   */
  public GlobalPid export(Pid pid) {
    return transport.export(Objects.requireNonNull(pid, "pid"));
  }

  /**
   * A handle on the same server as {@code ref} (started on this node) that works on every member.
   */
  public <M> ServerRef<M> export(ServerRef<M> ref) {
    return ServerRef.of(export(ref.pid()));
  }

  /**
   * {@code pid} bound to this member, for a global pid read by other means than a message (from a
   * Hazelcast map of the application's, say) when the JVM runs several cluster nodes.
   */
  public GlobalPid bind(GlobalPid pid) {
    return pid.boundTo(transport);
  }

  /** The cluster-wide name registry. */
  public ClusterRegistry registry() {
    return registry;
  }

  /** The cluster-wide process groups. */
  public ProcessGroups groups() {
    return groups;
  }

  Transport transport() {
    return transport;
  }

  /* Whether this member's Hazelcast instance has begun to shut down (or terminate). */
  boolean leaving() {
    return leaving;
  }

  boolean isOldest() {
    return members().iterator().next().localMember();
  }

  void watchMembers(Runnable watcher) {
    membersWatchers.add(watcher);
  }

  void unwatchMembers(Runnable watcher) {
    membersWatchers.remove(watcher);
  }

  private void membersChanged() {
    for (Runnable watcher : membersWatchers) {
      try {
        watcher.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a membership watcher failed", e);
      }
    }
  }

  void background(Runnable work) {
    try {
      background.execute(
          () -> {
            try {
              work.run();
            } catch (RuntimeException e) {
              if (hz.getLifecycleService().isRunning()) {
                LOG.log(System.Logger.Level.WARNING, "cluster housekeeping failed", e);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private final class Membership implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      transport.memberAdded(event.getMember());
      transport.partitionsMayHaveMoved();
      background(registry::membersChanged);
      membersChanged();
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      transport.memberRemoved(event.getMember());
      transport.partitionsMayHaveMoved();
      background(registry::membersChanged);
      background(groups::membersChanged);
      membersChanged();
    }
  }

  private void lifecycleChanged(LifecycleEvent event) {
    if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN
        || event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
      // This member is leaving: what runs here only while it is a member stops. Hazelcast still
      // reports the instance running while it shuts down, hence the flag.
      leaving = true;
      membersChanged();
    } else if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
      background(
          () -> {
            transport.merged();
            registry.merged();
            groups.merged();
            transport.partitionsMayHaveMoved();
            membersChanged();
          });
    }
  }

  /** Removes this node's listeners and fails the calls still waiting on other members. */
  @Override
  public void close() {
    if (hz.getLifecycleService().isRunning()) {
      try {
        hz.getCluster().removeMembershipListener(membership);
        hz.getLifecycleService().removeLifecycleListener(lifecycle);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "could not remove cluster listeners", e);
      }
    }
    registry.close();
    transport.close();
    Shutdowns.shutdown(background, Duration.ofSeconds(5));
  }

  @Override
  public String toString() {
    return "ClusterNode[" + node.name() + " on " + transport.self() + "]";
  }
}

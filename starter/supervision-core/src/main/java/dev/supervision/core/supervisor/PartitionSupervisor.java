package dev.supervision.core.supervisor;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * N partitions of one server, each its own child of a one-for-one supervisor, with messages routed
 * to a partition by key (Elixir's {@code PartitionSupervisor}): the way to spread a hot server's
 * work over processors while each key keeps one owner, and so one order.
 *
 * {@snippet :
 * PartitionSupervisor<Cache.Message> caches = PartitionSupervisor.start(node,
 *     PartitionSupervisorSpec.of("caches", 8, partition -> new Cache(partition)));
 * caches.partitionOf("user:42").cast(new Cache.Put("user:42", profile)); // Elixir's {:via, PartitionSupervisor, {name, key}}
 * Profile p = caches.partitionOf("user:42").call(r -> new Cache.Get("user:42", r));
 * }
 *
 * <table>
 *   <caption>Which partition a key goes to (as Elixir)</caption>
 *   <tr><th>key</th><th>partition</th></tr>
 *   <tr><td>an {@code Integer} or {@code Long}</td><td>its absolute value modulo N</td></tr>
 *   <tr><td>anything else</td><td>its spread {@code hashCode()} modulo N (Elixir uses {@code
 *   phash2}): the same key always goes to the same partition of the same N</td></tr>
 * </table>
 *
 * <p>The partitions are children {@code "0"} to {@code "N-1"} of a supervisor named after the spec;
 * {@link #whichChildren()}, {@link #countChildren()} and the supervision metrics show them one by
 * one. A restarted partition is reached at once by its new pid: routing reads an array the
 * partitions' start functions update, with no lookup and no lock. Thread-safe.
 *
 * @param <M> the partitions' protocol
 */
public final class PartitionSupervisor<M> {
  private final PartitionSupervisorSpec<M> spec;
  private final AtomicReferenceArray<@Nullable Pid> pids;
  private final List<ServerRef<M>> partitions;
  private volatile @Nullable SupervisorRef supervisor;

  private PartitionSupervisor(PartitionSupervisorSpec<M> spec) {
    this.spec = spec;
    this.pids = new AtomicReferenceArray<>(spec.partitions());
    List<ServerRef<M>> refs = new ArrayList<>(spec.partitions());
    for (int i = 0; i < spec.partitions(); i++) {
      refs.add(ServerRef.of(new Partition(i)));
    }
    this.partitions = List.copyOf(refs);
  }

  /**
   * Starts the partitions under their own supervisor, not linked to the caller; returns once every
   * partition has started.
   *
   * @throws dev.supervision.core.server.StartException if a partition fails to start
   */
  public static <M> PartitionSupervisor<M> start(Node node, PartitionSupervisorSpec<M> spec) {
    Objects.requireNonNull(node, "node");
    PartitionSupervisor<M> partitioned = new PartitionSupervisor<>(Objects.requireNonNull(spec));
    partitioned.supervisor = Supervisor.start(node, partitioned.supervisorSpec());
    return partitioned;
  }

  /**
   * Partitions that are not started yet: add {@link #childSpec(String)} to a supervisor, which then
   * starts (and restarts) the partition supervisor. Until then no partition is reachable.
   */
  public static <M> PartitionSupervisor<M> supervised(PartitionSupervisorSpec<M> spec) {
    return new PartitionSupervisor<>(Objects.requireNonNull(spec));
  }

  /**
   * A child spec that starts the partition supervisor under another supervisor (type supervisor,
   * infinite shutdown). Add it to one supervisor only.
   */
  public ChildSpec childSpec(String id) {
    SupervisorSpec supervisorSpec = supervisorSpec();
    return ChildSpec.worker(
            id,
            () -> {
              SupervisorRef started = Supervisor.startLink(supervisorSpec);
              supervisor = started;
              return started.pid();
            })
        .withType(ChildType.SUPERVISOR)
        .withShutdown(Shutdown.infinity());
  }

  private SupervisorSpec supervisorSpec() {
    List<ChildSpec> children = new ArrayList<>(spec.partitions());
    for (int i = 0; i < spec.partitions(); i++) {
      int partition = i;
      children.add(
          ChildSpec.worker(
              Integer.toString(partition),
              () -> {
                Pid pid =
                    GenServer.startLink(
                            () -> spec.factory().apply(partition),
                            StartOptions.DEFAULTS.withLabel(spec.name() + "-" + partition))
                        .pid();
                pids.set(partition, pid);
                return pid;
              }));
    }
    return SupervisorSpec.of(spec.name(), Strategy.ONE_FOR_ONE)
        .withIntensity(spec.maxRestarts(), spec.within())
        .withChildren(children);
  }

  /** The spec the partitions were made from. */
  public PartitionSupervisorSpec<M> spec() {
    return spec;
  }

  /** How many partitions there are. */
  public int partitions() {
    return partitions.size();
  }

  /**
   * The partition {@code key} is routed to (see the table above), as a handle that follows the
   * partition across restarts.
   */
  public ServerRef<M> partitionOf(Object key) {
    return partitions.get(indexOf(key));
  }

  /**
   * The partition numbered {@code index}, as a handle that follows it across restarts.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < partitions()}
   */
  public ServerRef<M> partition(int index) {
    return partitions.get(index);
  }

  /** The number of the partition {@code key} is routed to. */
  public int indexOf(Object key) {
    Objects.requireNonNull(key, "key");
    int n = partitions.size();
    if (key instanceof Integer i) {
      return (int) (Math.abs((long) i) % n);
    }
    if (key instanceof Long l) {
      return (int) Math.abs(l % n);
    }
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x45d9f3b;
    h ^= h >>> 16;
    return Math.floorMod(h, n);
  }

  /** The partition supervisor while it runs. */
  public Optional<SupervisorRef> supervisor() {
    SupervisorRef s = supervisor;
    return s == null || s.whereis() == null ? Optional.empty() : Optional.of(s);
  }

  /**
   * The partitions as children of their supervisor, in partition order (Elixir's {@code
   * PartitionSupervisor.which_children}).
   *
   * @throws dev.supervision.core.server.CallException.NoProc if it is not running
   */
  public List<ChildInfo> whichChildren() {
    return running().whichChildren();
  }

  /** Elixir's {@code PartitionSupervisor.count_children}. */
  public ChildCounts countChildren() {
    return running().countChildren();
  }

  /**
   * Stops every partition, in reverse order, then their supervisor; returns once it has exited.
   * Only for partitions made with {@link #start}: a supervised one stops with its parent.
   */
  public void stop() {
    running().stop();
  }

  private SupervisorRef running() {
    SupervisorRef s = supervisor;
    if (s == null) {
      throw new IllegalStateException(
          "partition supervisor '" + spec.name() + "' has not been started");
    }
    return s;
  }

  @Override
  public String toString() {
    return "PartitionSupervisor[" + spec.name() + ", " + partitions.size() + " partitions]";
  }

  /* Where partition `index` runs now: the pid its last start recorded, while alive. */
  private final class Partition implements Address {
    private final int index;

    Partition(int index) {
      this.index = index;
    }

    @Override
    public @Nullable Pid whereis() {
      Pid pid = pids.get(index);
      return pid != null && pid.isAlive() ? pid : null;
    }

    @Override
    public String toString() {
      return spec.name() + "[" + index + "]";
    }
  }
}

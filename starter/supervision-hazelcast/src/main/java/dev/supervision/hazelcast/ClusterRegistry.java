package dev.supervision.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Names held once across the cluster (OTP's {@code global}, Horde's registry): a name registered on
 * any member is resolved, and its holder called, from every member.
 *
 * {@snippet :
 * ClusterName name = cluster.registry().via("counter");
 * GenServer.start(node, Counter::new, StartOptions.named(name));
 * ServerRef<Counter.Message> counter = ServerRef.of(name); // from any member
 * }
 *
 * <table>
 *   <caption>When a name is free again</caption>
 *   <tr><th>event</th><th>the name</th></tr>
 *   <tr><td>its holder exits</td><td>removed by the holder's member as the process exits</td></tr>
 *   <tr><td>the holder's member leaves or dies</td><td>free as soon as the cluster has removed the
 *   member (its failure detection); lookups ignore it at once, the oldest member deletes it</td></tr>
 *   <tr><td>a registration on a side below the minimum size</td><td>refused: {@link
 *   NoQuorumException}</td></tr>
 *   <tr><td>a partition heals with the name held on both sides</td><td>the earlier registration
 *   keeps it (ties: member, then pid); the other process gets the exit signal {@code {shutdown,
 *   NameConflict}}</td></tr>
 * </table>
 *
 * <p>Registration is {@code putIfAbsent} on a Hazelcast map, atomic on the partition that owns the
 * name, so while the cluster is whole a name never has two live holders. Thread-safe.
 */
public final class ClusterRegistry {
  private static final System.Logger LOG = System.getLogger(ClusterRegistry.class.getName());
  static final String MAP = "supervision.names";

  private final ClusterNode cluster;
  private final Transport transport;
  private final HazelcastInstance hz;
  private final Node node;
  private final IMap<String, Registration> names;
  /* The names held by processes of this member, with their current registration. */
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
  private volatile @Nullable UUID listener;

  private record Held(Registration registration, Pid pid) {}

  ClusterRegistry(ClusterNode cluster, Transport transport) {
    this.cluster = cluster;
    this.transport = transport;
    this.hz = cluster.hazelcast();
    this.node = cluster.node();
    this.names = hz.getMap(MAP);
  }

  void open() {
    listener = names.addEntryListener(new Events(), false);
  }

  /** The cluster-wide name {@code name}, to start a server under or to call. */
  public ClusterName via(String name) {
    return new ClusterName(name, this);
  }

  /** The live process holding {@code name}, wherever it runs, or {@code null}. */
  public @Nullable GlobalPid whereis(String name) {
    Objects.requireNonNull(name, "name");
    Registration current = names.get(name);
    return current == null ? null : live(current);
  }

  /** The names held now, by a process on any member, sorted by name. */
  public Map<String, GlobalPid> registered() {
    Map<String, GlobalPid> all = new TreeMap<>();
    for (Map.Entry<String, Registration> e : names.entrySet()) {
      GlobalPid holder = live(e.getValue());
      if (holder != null) {
        all.put(e.getKey(), holder);
      }
    }
    return all;
  }

  /**
   * Releases {@code name} if a process of this member holds it (OTP's {@code unregister_name}).
   *
   * @return whether it was held here
   */
  public boolean unregister(String name) {
    Held h = held.remove(name);
    if (h == null) {
      return false;
    }
    names.remove(name, h.registration());
    return true;
  }

  private @Nullable GlobalPid live(Registration registration) {
    GlobalPid holder = registration.holder().boundTo(transport);
    if (transport.isLocal(holder.member())) {
      return holder.whereis() != null ? holder : null;
    }
    return transport.isMember(holder.member()) ? holder : null;
  }

  Optional<Pid> register(String name, Pid pid) {
    Objects.requireNonNull(name, "name");
    requireQuorum("registering cluster name '" + name + "'");
    GlobalPid me = transport.export(pid);
    Registration mine = new Registration(me, hz.getCluster().getClusterTime());
    while (true) {
      Registration current;
      try {
        current = names.putIfAbsent(name, mine);
      } catch (SplitBrainProtectionException e) {
        throw new NoQuorumException(
            "registering cluster name '" + name + "'",
            cluster.members().size(),
            cluster.options().minimumSize());
      }
      if (current == null) {
        hold(name, mine, pid);
        return Optional.empty();
      }
      GlobalPid holder = live(current);
      if (holder == null) {
        if (names.replace(name, current, mine)) {
          hold(name, mine, pid);
          return Optional.empty();
        }
        continue; // changed meanwhile: look again
      }
      if (holder.equals(me)) {
        return Optional.empty();
      }
      Pid local = holder.whereis();
      if (local != null) {
        return Optional.of(local);
      }
      throw new NameTakenException(name, holder);
    }
  }

  private void requireQuorum(String operation) {
    int members = cluster.members().size();
    if (members < cluster.options().minimumSize()) {
      throw new NoQuorumException(operation, members, cluster.options().minimumSize());
    }
  }

  private void hold(String name, Registration registration, Pid pid) {
    Held h = new Held(registration, pid);
    held.put(name, h);
    node.monitor(
        pid,
        (p, reason) -> {
          Held now = held.get(name);
          if (now != null && now.pid() == p && held.remove(name, now)) {
            cluster.background(() -> names.remove(name, now.registration()));
          }
        });
  }

  /*
   * Makes the map agree with a name this member holds: puts it back if it is missing (lost with a
   * partition, or deleted by the other side of a split), replaces a stale or a later holder, and
   * gives way to an earlier one, ending this member's holder with a NameConflict. Every member
   * applies the same precedence, so two holders that meet settle on one.
   */
  private void reconcile(String name) {
    Held h = held.get(name);
    if (h == null) {
      return;
    }
    if (!h.pid().isAlive()) {
      held.remove(name, h);
      return;
    }
    Registration mine =
        new Registration(transport.export(h.pid()), h.registration().registeredAt());
    if (!mine.equals(h.registration())) {
      Held renewed = new Held(mine, h.pid());
      if (!held.replace(name, h, renewed)) {
        return;
      }
      h = renewed;
    }
    for (int attempt = 0; attempt < 16; attempt++) {
      Registration current = names.get(name);
      if (current == null) {
        if (names.putIfAbsent(name, mine) == null) {
          return;
        }
        continue;
      }
      GlobalPid holder = current.holder();
      if (transport.isLocal(holder.member()) && holder.id() == h.pid().id()) {
        if (current.equals(mine) || names.replace(name, current, mine)) {
          return; // ours, maybe under this member's former uuid
        }
        continue;
      }
      if (live(current) == null || mine.precedes(current)) {
        if (names.replace(name, current, mine)) {
          return; // the other holder's member sees the update and gives way
        }
        continue;
      }
      if (held.remove(name, h)) {
        NameConflict conflict = new NameConflict(name, holder.boundTo(transport));
        LOG.log(
            System.Logger.Level.WARNING,
            "cluster name '"
                + name
                + "' was held twice after a partition: "
                + holder
                + " keeps it, "
                + h.pid()
                + " gives it up");
        node.exit(h.pid(), ExitReason.shutdown(conflict));
      }
      return;
    }
    LOG.log(System.Logger.Level.WARNING, "cluster name '" + name + "' kept changing; will retry");
    cluster.background(() -> reconcile(name));
  }

  private void reconcileAll() {
    for (String name : Set.copyOf(held.keySet())) {
      reconcile(name);
    }
  }

  /* Called by ClusterNode, in the background. */
  void membersChanged() {
    if (cluster.isOldest()) {
      Set<UUID> present =
          hz.getCluster().getMembers().stream()
              .map(m -> m.getUuid())
              .collect(Collectors.toUnmodifiableSet());
      names.removeAll(new HolderGone(present));
    }
    reconcileAll();
  }

  void merged() {
    restartListener();
    reconcileAll();
  }

  private void restartListener() {
    UUID old = listener;
    if (old != null) {
      names.removeEntryListener(old);
    }
    listener = names.addEntryListener(new Events(), false);
  }

  void close() {
    UUID id = listener;
    if (id != null && hz.getLifecycleService().isRunning()) {
      try {
        names.removeEntryListener(id);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "could not remove the names listener", e);
      }
    }
  }

  /* Any change to a name this member holds: check it in the background. */
  private final class Events
      implements EntryAddedListener<String, Registration>,
          EntryUpdatedListener<String, Registration>,
          EntryRemovedListener<String, Registration>,
          EntryMergedListener<String, Registration> {

    private void changed(EntryEvent<String, Registration> event) {
      String name = event.getKey();
      if (held.containsKey(name)) {
        cluster.background(() -> reconcile(name));
      }
    }

    @Override
    public void entryAdded(EntryEvent<String, Registration> event) {
      changed(event);
    }

    @Override
    public void entryUpdated(EntryEvent<String, Registration> event) {
      changed(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, Registration> event) {
      changed(event);
    }

    @Override
    public void entryMerged(EntryEvent<String, Registration> event) {
      changed(event);
    }
  }
}

package dev.supervision.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.multimap.MultiMap;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ServerRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Groups of processes across the cluster (Erlang's {@code pg}): any process joins a group by name,
 * and every member sees the group's members, wherever they run, and can cast to them all.
 *
 * {@snippet :
 * cluster.groups().join("room:lobby", listener.pid());
 * cluster.groups().dispatch("room:lobby", new Listener.Posted("hello")); // to every member
 * }
 *
 * <table>
 *   <caption>Membership</caption>
 *   <tr><th>event</th><th>effect</th></tr>
 *   <tr><td>{@link #join} twice</td><td>a member once (unlike {@code pg}, which counts joins)</td>
 *   </tr>
 *   <tr><td>the process exits</td><td>it leaves all its groups</td></tr>
 *   <tr><td>its member leaves or dies</td><td>its processes leave at once for lookups, and are
 *   deleted by the oldest member</td></tr>
 * </table>
 *
 * <p>Groups live in a Hazelcast multimap; {@link #members} reads it, so it sees a join made on
 * another member once that join has returned. Thread-safe.
 */
public final class ProcessGroups {
  private static final System.Logger LOG = System.getLogger(ProcessGroups.class.getName());
  static final String MAP = "supervision.groups";

  private final ClusterNode cluster;
  private final Transport transport;
  private final HazelcastInstance hz;
  private final Node node;
  private final MultiMap<String, GlobalPid> groups;
  /* The joins of this member's processes, with the global pid they were published under. */
  private final ConcurrentHashMap<Joined, GlobalPid> joined = new ConcurrentHashMap<>();

  private record Joined(String group, Pid pid) {}

  ProcessGroups(ClusterNode cluster, Transport transport) {
    this.cluster = cluster;
    this.transport = transport;
    this.hz = cluster.hazelcast();
    this.node = cluster.node();
    this.groups = hz.getMultiMap(MAP);
  }

  /**
   * Adds {@code pid}, a process of this member, to {@code group}; it leaves when it exits.
   *
   * @throws IllegalArgumentException if the process runs on another node
   */
  public void join(String group, Pid pid) {
    Objects.requireNonNull(group, "group");
    Joined key = new Joined(group, pid);
    GlobalPid global = transport.export(pid);
    if (joined.putIfAbsent(key, global) != null) {
      return;
    }
    groups.put(group, global);
    MonitorRef unused =
        node.monitor(
            pid,
            (p, reason) -> {
              GlobalPid was = joined.remove(key);
              if (was != null) {
                cluster.background(() -> groups.remove(group, was));
              }
            });
  }

  /**
   * Removes {@code pid} from {@code group}.
   *
   * @return whether it was a member
   */
  public boolean leave(String group, Pid pid) {
    GlobalPid was = joined.remove(new Joined(group, pid));
    return was != null && groups.remove(group, was);
  }

  /** The live members of {@code group}, on every member of the cluster, in no order. */
  public List<GlobalPid> members(String group) {
    List<GlobalPid> live = new ArrayList<>();
    for (GlobalPid pid : groups.get(group)) {
      GlobalPid bound = pid.boundTo(transport);
      if (transport.isLocal(bound.member())
          ? bound.whereis() != null
          : transport.isMember(bound.member())) {
        live.add(bound);
      }
    }
    return live;
  }

  /** The members of {@code group} that run on this member. */
  public List<Pid> localMembers(String group) {
    List<Pid> local = new ArrayList<>();
    for (Joined j : joined.keySet()) {
      if (j.group().equals(group) && j.pid().isAlive()) {
        local.add(j.pid());
      }
    }
    return local;
  }

  /** The groups that have members, sorted. */
  public Set<String> groups() {
    return new TreeSet<>(groups.keySet());
  }

  /**
   * Casts {@code message} to every member of {@code group}, on every member of the cluster (as a
   * {@code ServerRef.cast} to each): never waits for them.
   *
   * @return how many processes it was sent to
   * @throws UnserializableMessageException if the group has a member on another member of the
   *     cluster and the message cannot be sent there
   */
  public int dispatch(String group, Object message) {
    List<GlobalPid> members = members(group);
    for (GlobalPid pid : members) {
      ServerRef.of(pid).cast(message);
    }
    return members.size();
  }

  /* In the background: the oldest member deletes the departed members' processes. */
  void membersChanged() {
    if (!cluster.isOldest()) {
      return;
    }
    Set<UUID> present =
        hz.getCluster().getMembers().stream()
            .map(m -> m.getUuid())
            .collect(java.util.stream.Collectors.toSet());
    for (Map.Entry<String, GlobalPid> e : groups.entrySet()) {
      if (!present.contains(e.getValue().member())) {
        groups.remove(e.getKey(), e.getValue());
      }
    }
  }

  /* After a merge: this member's joins again, under its new uuid. */
  void merged() {
    for (Map.Entry<Joined, GlobalPid> e : joined.entrySet()) {
      Joined j = e.getKey();
      if (!j.pid().isAlive()) {
        continue;
      }
      GlobalPid now = transport.export(j.pid());
      if (!now.equals(e.getValue()) && joined.replace(j, e.getValue(), now)) {
        groups.remove(j.group(), e.getValue());
      }
      groups.put(j.group(), now);
    }
    LOG.log(System.Logger.Level.DEBUG, "process groups rejoined after a merge");
  }
}

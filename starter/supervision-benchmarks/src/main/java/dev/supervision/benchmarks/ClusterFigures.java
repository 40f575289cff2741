package dev.supervision.benchmarks;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.supervision.core.process.Node;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import dev.supervision.hazelcast.ClusterNode;
import dev.supervision.hazelcast.ClusterOptions;
import dev.supervision.hazelcast.KeyMovedException;
import dev.supervision.hazelcast.NoQuorumException;
import dev.supervision.hazelcast.ShardedChildren;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Cluster mode's figures, outside JMH, on Hazelcast members in this JVM joined over real TCP on
 * 127.0.0.1 (TCP-IP join, multicast off): a call to a server on another member beside the same call
 * made locally (percentiles of every call timed one by one); the time from terminating a member
 * (its sockets close, as when its process is killed) to a sharded key it owned answering from its
 * new owner; and the time for a member to join (until every member sees it, and until the
 * partitions have been rebalanced).
 *
 * <pre>java -cp benchmarks.jar dev.supervision.benchmarks.ClusterFigures [calls] [rounds] [port]
 * </pre>
 */
public final class ClusterFigures {
  private static final Duration CALL = Duration.ofSeconds(10);

  private final int basePort;
  private final String clusterName = "figures-" + UUID.randomUUID();
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<ClusterNode> clusters = new ArrayList<>();
  private final List<ShardedChildren<String, Room.Message>> rooms = new ArrayList<>();

  private ClusterFigures(int basePort) {
    this.basePort = basePort;
  }

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 5801;
    ClusterFigures figures = new ClusterFigures(port);
    try {
      figures.run(calls, rounds);
    } finally {
      figures.close();
    }
  }

  private void run(int calls, int rounds) {
    System.out.printf(
        "JDK %s, %d cores, Hazelcast members on 127.0.0.1:%d+ (TCP)%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), basePort);
    long first = System.nanoTime();
    join();
    System.out.printf("first member up in %.0f ms%n", (System.nanoTime() - first) / 1e6);
    join();
    awaitSafe();
    calls(calls);
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      int added = join();
      long seen = System.nanoTime();
      awaitSafe();
      long safe = System.nanoTime();
      System.out.printf(
          "round %d: member %d joined: seen by all in %.0f ms, partitions rebalanced in %.0f ms%n",
          round, added, (seen - start) / 1e6, (safe - start) / 1e6);
      failover(round, added);
    }
  }

  private Config config() {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(basePort).setPortAutoIncrement(true).setPortCount(20);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int port = basePort; port < basePort + 8; port++) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + port);
    }
    return config;
  }

  /* Starts a member with a node, a cluster node and the rooms; returns its index. */
  private int join() {
    int before = (int) members.stream().filter(m -> m.getLifecycleService().isRunning()).count();
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(config());
    members.add(hz);
    Node node = Node.create("member-" + (members.size() - 1));
    nodes.add(node);
    ClusterNode cluster =
        ClusterNode.join(
            node, hz, ClusterOptions.DEFAULTS.withAllowedClasses("dev.supervision.benchmarks.*"));
    clusters.add(cluster);
    rooms.add(ShardedChildren.start(cluster, "rooms", Room::new));
    while (!members.stream()
        .filter(m -> m.getLifecycleService().isRunning())
        .allMatch(m -> m.getCluster().getMembers().size() == before + 1)) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return members.size() - 1;
  }

  private void awaitSafe() {
    HazelcastInstance any =
        members.stream().filter(m -> m.getLifecycleService().isRunning()).findFirst().orElseThrow();
    any.getPartitionService().getPartition("any").getOwner();
    while (!members.stream()
        .filter(m -> m.getLifecycleService().isRunning())
        .allMatch(m -> m.getPartitionService().isClusterSafe())) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private void calls(int n) {
    ServerRef<Room.Message> local = GenServer.start(nodes.get(1), Room::new);
    ServerRef<Room.Message> remote =
        ServerRef.of(clusters.get(0).bind(clusters.get(1).export(local.pid())));
    // remote: member 0 calls the server on member 1; local: member 1 calls it in its own JVM
    // node; the caller is a virtual thread, as in CallLatency
    for (int round = 1; round <= 3; round++) {
      int r = round;
      Thread caller =
          Thread.ofVirtual()
              .start(
                  () -> {
                    long[] remoteNanos = time(remote, n);
                    long[] localNanos = time(local, n * 10);
                    System.out.printf(
                        "calls round %d: remote %s | local %s%n",
                        r, percentiles(remoteNanos), percentiles(localNanos));
                  });
      try {
        caller.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static long[] time(ServerRef<Room.Message> server, int n) {
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      server.<String>call(replyTo -> new Room.Ping("ping", replyTo), CALL);
      nanos[i] = System.nanoTime() - start;
    }
    return nanos;
  }

  private static String percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return String.format(
        "%,d calls: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us",
        n,
        sorted[n / 2] / 1e3,
        sorted[(int) (n * 0.99)] / 1e3,
        sorted[(int) (n * 0.999)] / 1e3,
        sorted[n - 1] / 1e3);
  }

  /*
   * Kills member `victim` (terminate: no graceful leave, its connections close) and times until a
   * key it owned answers member 0 from its new owner, retrying every millisecond.
   */
  private void failover(int round, int victim) {
    UUID owner = clusters.get(victim).member();
    ShardedChildren<String, Room.Message> caller = rooms.get(0);
    String key =
        IntStream.range(0, 100_000)
            .mapToObj(i -> "room-" + i)
            .filter(k -> caller.ownerOf(k).equals(owner))
            .findFirst()
            .orElseThrow();
    ServerRef<Room.Message> ref = caller.ref(key);
    String before = ref.call(Room.Where::new, CALL);
    long start = System.nanoTime();
    members.get(victim).getLifecycleService().terminate();
    nodes.get(victim).close();
    int attempts = 0;
    String after;
    while (true) {
      attempts++;
      try {
        after = ref.call(Room.Where::new, CALL);
        break;
      } catch (KeyMovedException
          | NoQuorumException
          | CallException.NodeDown
          | CallException.NoProc e) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
    long answered = System.nanoTime();
    System.out.printf(
        "round %d: terminated %s; key %s answered from %s after %.0f ms (%d attempts)%n",
        round, before, key, after, (answered - start) / 1e6, attempts);
  }

  private void close() {
    for (ShardedChildren<String, Room.Message> r : rooms) {
      try {
        r.close();
      } catch (RuntimeException e) {
        // its member was terminated
      }
    }
    clusters.forEach(ClusterNode::close);
    nodes.forEach(Node::close);
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  /* A keyed server whose protocol crosses members. */
  static final class Room implements Server<Room.Message> {
    sealed interface Message extends Serializable {}

    record Ping(String payload, ReplyTo<String> replyTo) implements Message {}

    record Where(ReplyTo<String> replyTo) implements Message {}

    private String node = "?";

    Room() {}

    Room(String key) {}

    @Override
    public void init(ServerContext<Message> context) {
      node = context.process().self().node().name();
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Ping(var payload, var replyTo) -> replyTo.reply(payload);
        case Where(var replyTo) -> replyTo.reply(node);
      }
    }
  }
}

package dev.supervision.hazelcast;

import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.test.HazelcastTestSupport;
import com.hazelcast.test.SplitBrainTestSupport;
import com.hazelcast.test.TestHazelcastInstanceFactory;
import dev.supervision.core.process.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/*
 * Members in this JVM on Hazelcast's mock network (its test jar: no sockets, and connections
 * between two members can be blocked to split the cluster), each with a node and a cluster node.
 * Closing it closes all of them and terminates every member.
 */
final class TestCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  private final TestHazelcastInstanceFactory factory;
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<ClusterNode> clusters = new ArrayList<>();

  private TestCluster(int size, ClusterOptions options) {
    factory = new TestHazelcastInstanceFactory(size);
    try {
      for (int i = 0; i < size; i++) {
        HazelcastInstance hz = factory.newHazelcastInstance(config());
        members.add(hz);
        Node node = Node.create("member-" + i);
        nodes.add(node);
        clusters.add(ClusterNode.join(node, hz, options));
      }
      await()
          .atMost(WAIT)
          .until(() -> members.stream().allMatch(m -> m.getCluster().getMembers().size() == size));
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  static TestCluster of(int size) {
    return new TestCluster(size, ClusterOptions.DEFAULTS);
  }

  static TestCluster of(int size, ClusterOptions options) {
    return new TestCluster(size, options);
  }

  private static Config config() {
    Config config = new Config();
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "1");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "1");
    return config;
  }

  ClusterNode cluster(int i) {
    return clusters.get(i);
  }

  Node node(int i) {
    return nodes.get(i);
  }

  HazelcastInstance member(int i) {
    return members.get(i);
  }

  /* Kills member i as a crash would: no graceful leave. */
  void terminate(int i) {
    members.get(i).getLifecycleService().terminate();
  }

  /* Cuts member i off from all the others, and waits until both sides see the split. */
  void isolate(int i) {
    HazelcastInstance lone = members.get(i);
    for (HazelcastInstance other : members) {
      if (other != lone) {
        SplitBrainTestSupport.blockCommunicationBetween(lone, other);
        HazelcastTestSupport.closeConnectionBetween(lone, other);
      }
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                lone.getCluster().getMembers().size() == 1
                    && members.stream()
                        .filter(m -> m != lone)
                        .allMatch(m -> m.getCluster().getMembers().size() == members.size() - 1));
  }

  /* Lets member i talk to the others again, and waits until the cluster is whole. */
  void heal(int i) {
    HazelcastInstance lone = members.get(i);
    for (HazelcastInstance other : members) {
      if (other != lone) {
        SplitBrainTestSupport.unblockCommunicationBetween(lone, other);
      }
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                members.stream()
                    .allMatch(m -> m.getCluster().getMembers().size() == members.size()));
  }

  @Override
  public void close() {
    for (ClusterNode c : clusters) {
      c.close();
    }
    for (Node n : nodes) {
      n.close();
    }
    factory.terminateAll();
  }
}

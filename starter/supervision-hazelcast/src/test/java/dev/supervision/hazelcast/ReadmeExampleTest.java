package dev.supervision.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.test.TestHazelcastInstanceFactory;
import dev.supervision.core.process.Node;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import org.junit.jupiter.api.Test;

/* The README's cluster example, on two members of Hazelcast's mock network. */
final class ReadmeExampleTest {

  @Test
  void aServerRegisteredUnderAClusterNameIsCalledFromTheOtherMember() {
    TestHazelcastInstanceFactory factory = new TestHazelcastInstanceFactory(2);
    Config config = new Config().setProperty("hazelcast.logging.type", "none");
    try (Node node = Node.create("first");
        Node otherNode = Node.create("second")) {
      HazelcastInstance hazelcast = factory.newHazelcastInstance(config);
      ClusterNode other = ClusterNode.join(otherNode, factory.newHazelcastInstance(config));

      ClusterNode cluster =
          ClusterNode.join(node, hazelcast, ClusterOptions.DEFAULTS.withMinimumSize(2));
      ClusterName name = cluster.registry().via("counter");
      GenServer.start(node, Counter::new, StartOptions.named(name));
      // on another member:
      ServerRef<Counter.Message> counter = ServerRef.of(other.registry().via("counter"));
      counter.cast(new Counter.Add(2));
      long value = counter.call(Counter.Get::new); // 2

      assertThat(value).isEqualTo(2L);
      cluster.close();
      other.close();
    } finally {
      factory.terminateAll();
    }
  }
}

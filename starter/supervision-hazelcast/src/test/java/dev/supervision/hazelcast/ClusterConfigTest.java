package dev.supervision.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import com.hazelcast.test.HazelcastTestSupport;
import com.hazelcast.test.SplitBrainTestSupport;
import com.hazelcast.test.TestHazelcastInstanceFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class ClusterConfigTest {

  @Nested
  final class Apply {
    @Test
    void protectsTheNamesMapAtTheMinimumSizeWithPutIfAbsentMerges() {
      Config config = ClusterConfig.apply(new Config(), ClusterOptions.DEFAULTS.withMinimumSize(2));

      assertThat(config.getMapConfig(ClusterRegistry.MAP).getSplitBrainProtectionName())
          .isEqualTo(ClusterConfig.SPLIT_BRAIN_PROTECTION);
      assertThat(config.getMapConfig(ClusterRegistry.MAP).getMergePolicyConfig().getPolicy())
          .isEqualTo(PutIfAbsentMergePolicy.class.getName());
      assertThat(
              config
                  .getSplitBrainProtectionConfig(ClusterConfig.SPLIT_BRAIN_PROTECTION)
                  .getMinimumClusterSize())
          .isEqualTo(2);
    }

    @Test
    void addsNoProtectionForAMinimumSizeOfOne() {
      Config config = ClusterConfig.apply(new Config(), ClusterOptions.DEFAULTS);

      assertThat(config.getMapConfig(ClusterRegistry.MAP).getSplitBrainProtectionName()).isNull();
      assertThat(config.getSplitBrainProtectionConfigs()).isEmpty();
    }

    @Test
    void keepsAMapConfigTheUserAlreadyHas() {
      Config mine = new Config();
      mine.getMapConfig(ClusterRegistry.MAP).setBackupCount(2);

      Config config = ClusterConfig.apply(mine, ClusterOptions.DEFAULTS.withMinimumSize(2));

      assertThat(config.getMapConfig(ClusterRegistry.MAP).getBackupCount()).isEqualTo(2);
      assertThat(config.getMapConfig(ClusterRegistry.MAP).getSplitBrainProtectionName()).isNull();
    }
  }

  @Nested
  final class OnAMinority {
    @Test
    void hazelcastItselfRefusesWritesToTheNamesMapButAllowsReads() {
      TestHazelcastInstanceFactory factory = new TestHazelcastInstanceFactory(3);
      try {
        List<HazelcastInstance> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Config config = new Config();
          config.setProperty("hazelcast.phone.home.enabled", "false");
          config.setProperty("hazelcast.logging.type", "none");
          members.add(
              factory.newHazelcastInstance(
                  ClusterConfig.apply(config, ClusterOptions.DEFAULTS.withMinimumSize(2))));
        }
        await()
            .atMost(TestCluster.WAIT)
            .until(() -> members.stream().allMatch(m -> m.getCluster().getMembers().size() == 3));
        HazelcastInstance lone = members.get(2);
        lone.getMap(ClusterRegistry.MAP).put("before", "split");
        for (HazelcastInstance other : members.subList(0, 2)) {
          SplitBrainTestSupport.blockCommunicationBetween(lone, other);
          HazelcastTestSupport.closeConnectionBetween(lone, other);
        }
        await().atMost(TestCluster.WAIT).until(() -> lone.getCluster().getMembers().size() == 1);

        await()
            .atMost(TestCluster.WAIT)
            .untilAsserted(
                () ->
                    assertThatThrownBy(() -> lone.getMap(ClusterRegistry.MAP).put("name", "x"))
                        .isInstanceOf(SplitBrainProtectionException.class));
        assertThat(members.get(0).getMap(ClusterRegistry.MAP).put("name", "y")).isNull();
        lone.getMap(ClusterRegistry.MAP).get("before"); // reads are not refused
      } finally {
        factory.terminateAll();
      }
    }
  }
}

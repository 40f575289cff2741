package dev.supervision.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ProcessGroupsTest {
  private TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.of(3);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /* A counter on member m that joins `group`. */
  private ServerRef<Counter.Message> member(int m, String group) {
    ServerRef<Counter.Message> counter = GenServer.start(cluster.node(m), Counter::new);
    cluster.cluster(m).groups().join(group, counter.pid());
    return counter;
  }

  @Test
  void aProcessThatJoinsIsSeenFromEveryMember() {
    ServerRef<Counter.Message> joined = member(1, "room");

    for (int m = 0; m < 3; m++) {
      assertThat(cluster.cluster(m).groups().members("room"))
          .extracting(GlobalPid::id)
          .containsExactly(joined.pid().id());
    }
    assertThat(cluster.cluster(1).groups().localMembers("room")).containsExactly(joined.pid());
    assertThat(cluster.cluster(0).groups().localMembers("room")).isEmpty();
    assertThat(cluster.cluster(2).groups().groups()).containsExactly("room");
  }

  @Test
  void dispatchCastsToEveryMemberOnEveryNode() {
    List<ServerRef<Counter.Message>> counters =
        List.of(member(0, "all"), member(1, "all"), member(2, "all"), member(2, "all"));

    int sent = cluster.cluster(0).groups().dispatch("all", new Counter.Add(3));

    assertThat(sent).isEqualTo(4);
    for (ServerRef<Counter.Message> counter : counters) {
      await().atMost(TestCluster.WAIT).until(() -> counter.call(Counter.Get::new) == 3L);
    }
  }

  @Test
  void aProcessThatLeavesOrExitsIsNoLongerAMember() {
    ServerRef<Counter.Message> leaving = member(0, "room");
    ServerRef<Counter.Message> exiting = member(1, "room");
    ServerRef<Counter.Message> staying = member(2, "room");

    assertThat(cluster.cluster(0).groups().leave("room", leaving.pid())).isTrue();
    exiting.stop();

    await()
        .atMost(TestCluster.WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.cluster(0).groups().members("room"))
                    .extracting(GlobalPid::id)
                    .containsExactly(staying.pid().id()));
  }

  @Test
  void theProcessesOfAMemberThatDiesLeaveTheirGroups() {
    member(0, "room");
    ServerRef<Counter.Message> survivor = member(1, "room");

    cluster.terminate(0);

    await()
        .atMost(TestCluster.WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.cluster(2).groups().members("room"))
                    .extracting(GlobalPid::id)
                    .containsExactly(survivor.pid().id()));
    await()
        .atMost(TestCluster.WAIT)
        .until(() -> cluster.member(1).getMultiMap(ProcessGroups.MAP).size() == 1);
  }
}

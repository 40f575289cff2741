package dev.supervision.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ServerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class ClusterSingletonTest {
  private static final Duration CALL = Duration.ofSeconds(10);
  /* The singleton's Tally key: its state in Tally.STORE, its instances in Tally.INSTANCES. */
  private static final String LEADER = "leader";
  private TestCluster cluster;
  private final List<ClusterSingleton<Tally.Message>> leaders = new ArrayList<>();

  @BeforeEach
  void reset() {
    Tally.reset();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start(int size, ClusterOptions options) {
    cluster = TestCluster.of(size, options);
    for (int i = 0; i < size; i++) {
      leaders.add(startLeader(i));
    }
  }

  private ClusterSingleton<Tally.Message> startLeader(int member) {
    return cluster.closeFirst(
        ClusterSingleton.start(cluster.cluster(member), LEADER, () -> new Tally(LEADER)));
  }

  /* Where the instance answers from, as member `from` reaches it (retrying through a failover). */
  private String whereFrom(int from) {
    ServerRef<Tally.Message> ref = leaders.get(from).ref();
    return await()
        .atMost(TestCluster.WAIT)
        .ignoreException(CallException.NoProc.class)
        .until(() -> ref.<String>call(Tally.Where::new, CALL), w -> w != null);
  }

  private void awaitOneLiveInstanceOn(String node) {
    await()
        .atMost(TestCluster.WAIT)
        .untilAsserted(
            () ->
                assertThat(Tally.live(LEADER))
                    .singleElement()
                    .extracting(pid -> pid.node().name())
                    .isEqualTo(node));
  }

  @Nested
  final class Placement {

    @Test
    void startedOnEveryMemberItRunsOnceOnTheOldestMemberAndAnswersFromEveryMember() {
      start(3, ClusterOptions.DEFAULTS);

      awaitOneLiveInstanceOn("member-0");
      for (int m = 0; m < 3; m++) {
        assertThat(whereFrom(m)).isEqualTo("member-0");
      }
      assertThat(leaders.get(0).localInstance()).isNotNull();
      assertThat(leaders.get(1).localInstance()).isNull();
      assertThat(leaders.get(2).whereis()).isNotNull();
      assertThat(leaders.get(2).whereis().member()).isEqualTo(cluster.cluster(0).member());
      assertThat(Tally.INSTANCES.get(LEADER)).hasSize(1);
    }

    @Test
    void aMemberThatJoinsLeavesTheInstanceWhereItRuns() {
      start(2, ClusterOptions.DEFAULTS);
      awaitOneLiveInstanceOn("member-0");

      int third = cluster.addMember();
      leaders.add(startLeader(third));

      assertThat(whereFrom(third)).isEqualTo("member-0");
      assertThat(Tally.INSTANCES.get(LEADER)).hasSize(1);
    }

    @Test
    void aSecondSingletonOfTheSameNameOnOneMemberIsRefused() {
      start(3, ClusterOptions.DEFAULTS);

      assertThatThrownBy(
              () -> ClusterSingleton.start(cluster.cluster(1), LEADER, () -> new Tally(LEADER)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'leader' already runs");
    }
  }

  @Nested
  final class Restarts {

    @Test
    void aCrashedInstanceIsRestartedOnTheSameMemberWithItsStateReloaded() {
      start(3, ClusterOptions.DEFAULTS);
      ServerRef<Tally.Message> ref = leaders.get(2).ref();
      awaitOneLiveInstanceOn("member-0");
      assertThat(ref.<Long>call(r -> new Tally.Add(5, r), CALL)).isEqualTo(5L);
      Pid before = leaders.get(0).localInstance();

      ref.cast(Tally.Crash.INSTANCE);

      await()
          .atMost(TestCluster.WAIT)
          .until(
              () -> {
                Pid now = leaders.get(0).localInstance();
                return now != null && now != before;
              });
      assertThat(ref.<Long>call(Tally.Get::new, CALL)).isEqualTo(5L);
      assertThat(whereFrom(1)).isEqualTo("member-0");
      assertThat(Tally.INSTANCES.get(LEADER)).hasSize(2);
      assertThat(Tally.TWO_ALIVE).isEmpty();
    }
  }

  @Nested
  final class Failover {

    @Test
    void whenTheOldestMemberDiesTheInstanceRestartsOnTheNextOldestWithStateReloaded() {
      start(3, ClusterOptions.DEFAULTS);
      awaitOneLiveInstanceOn("member-0");
      leaders.get(1).ref().<Long>call(r -> new Tally.Add(7, r), CALL);

      cluster.terminate(0);

      awaitOneLiveInstanceOn("member-1");
      assertThat(whereFrom(2)).isEqualTo("member-1");
      assertThat(leaders.get(2).ref().<Long>call(Tally.Get::new, CALL)).isEqualTo(7L);
      // (no TWO_ALIVE check: in this JVM the killed member's node closes just after its
      // Hazelcast instance, so its instance may outlive the member by a moment, as no process can)
    }

    @Test
    void anInstanceStopsWhenTheHazelcastMemberUnderItShutsDown() {
      start(3, ClusterOptions.DEFAULTS);
      awaitOneLiveInstanceOn("member-0");
      Pid instance = leaders.get(0).localInstance();

      cluster.member(0).getLifecycleService().terminate();

      await().atMost(TestCluster.WAIT).until(() -> !instance.isAlive());
      awaitOneLiveInstanceOn("member-1");
      assertThat(cluster.node(0).processCount()).as("the node itself goes on").isPositive();
    }

    @Test
    void whenTheOldestMemberLeavesTheInstanceRestartsOnTheNextOldest() {
      start(3, ClusterOptions.DEFAULTS);
      awaitOneLiveInstanceOn("member-0");

      leaders.get(0).close();
      cluster.member(0).shutdown();

      awaitOneLiveInstanceOn("member-1");
      assertThat(whereFrom(2)).isEqualTo("member-1");
      assertThat(Tally.TWO_ALIVE).isEmpty();
    }
  }

  @Nested
  final class Quorum {

    @Test
    void anOldestMemberCutOffFromTheMajorityStopsItsInstanceAndTheMajorityStartsOne() {
      start(3, ClusterOptions.DEFAULTS.withMinimumSize(2));
      awaitOneLiveInstanceOn("member-0");
      Pid isolated = leaders.get(0).localInstance();

      cluster.isolate(0);

      await().atMost(TestCluster.WAIT).until(() -> !isolated.isAlive());
      awaitOneLiveInstanceOn("member-1");
      assertThat(whereFrom(2)).isEqualTo("member-1");
      assertThat(leaders.get(0).localInstance()).isNull();
    }

    @Test
    void afterThePartitionHealsOneInstanceRunsOnTheOldestMemberOfTheWholeCluster() {
      start(3, ClusterOptions.DEFAULTS.withMinimumSize(2));
      awaitOneLiveInstanceOn("member-0");
      cluster.isolate(0);
      awaitOneLiveInstanceOn("member-1");

      cluster.heal(0);

      assertThat(whereFrom(0)).isEqualTo("member-1");
      awaitOneLiveInstanceOn("member-1");
      assertThat(Tally.TWO_ALIVE).isEmpty();
    }
  }
}

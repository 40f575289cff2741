package dev.supervision.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartException;
import dev.supervision.core.server.StartOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class ClusterRegistryTest {
  private TestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ServerRef<Counter.Message> startNamed(int member, String name) {
    return GenServer.start(
        cluster.node(member),
        Counter::new,
        StartOptions.named(cluster.cluster(member).registry().via(name)));
  }

  @Test
  void aNameRegisteredOnOneMemberIsCalledFromEveryOther() {
    cluster = TestCluster.of(3);
    startNamed(0, "counter").cast(new Counter.Add(5));

    for (int i = 1; i < 3; i++) {
      ServerRef<Counter.Message> byName =
          ServerRef.of(cluster.cluster(i).registry().via("counter"));
      byName.cast(new Counter.Add(1));
      assertThat(byName.whereis()).isNull(); // not on this member
    }

    ServerRef<Counter.Message> fromLast =
        ServerRef.of(cluster.cluster(2).registry().via("counter"));
    await().atMost(TestCluster.WAIT).until(() -> fromLast.call(Counter.Get::new) == 7L);
    assertThat(cluster.cluster(1).registry().registered()).containsOnlyKeys("counter");
  }

  @Test
  void aTakenNameIsRefusedOnEveryMember() {
    cluster = TestCluster.of(3);
    ServerRef<Counter.Message> holder = startNamed(0, "only");

    assertThatThrownBy(() -> startNamed(1, "only"))
        .isInstanceOf(StartException.class)
        .hasCauseInstanceOf(NameTakenException.class);
    assertThatThrownBy(() -> startNamed(0, "only"))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.alreadyStarted()).contains(holder.pid()));
  }

  @Test
  void concurrentRegistrationsFromAllMembersLeaveOneHolder() throws InterruptedException {
    cluster = TestCluster.of(3);
    int perMember = 10;
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    List<Thread> racers = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      int member = m;
      for (int i = 0; i < perMember; i++) {
        racers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        go.await();
                        startNamed(member, "contested");
                        started.incrementAndGet();
                      } catch (StartException e) {
                        // lost the race
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
    }
    go.countDown();
    for (Thread t : racers) {
      t.join();
    }

    assertThat(started).hasValue(1);
    int live = 0;
    for (int m = 0; m < 3; m++) {
      live += (int) cluster.node(m).processes().stream().filter(Pid::isAlive).count();
    }
    assertThat(live).isEqualTo(1);
  }

  @Test
  void aNameIsFreeAgainWhenItsHolderExits() {
    cluster = TestCluster.of(2);
    ServerRef<Counter.Message> holder = startNamed(0, "transient");
    holder.stop();

    await()
        .atMost(TestCluster.WAIT)
        .until(() -> cluster.cluster(1).registry().whereis("transient") == null);
    startNamed(1, "transient");
    assertThat(cluster.cluster(0).registry().whereis("transient"))
        .isEqualTo(cluster.cluster(0).registry().via("transient").holder())
        .extracting(GlobalPid::member)
        .isEqualTo(cluster.cluster(1).member());
  }

  @Test
  void aNameHeldOnAMemberThatDiesIsFreeAgain() {
    cluster = TestCluster.of(3);
    startNamed(0, "leader");
    cluster.terminate(0);

    await()
        .atMost(TestCluster.WAIT)
        .until(() -> cluster.cluster(1).registry().whereis("leader") == null);
    startNamed(1, "leader");
    await()
        .atMost(TestCluster.WAIT)
        .until(() -> cluster.cluster(2).registry().whereis("leader") != null);
  }

  @Test
  void aSideBelowTheMinimumSizeRefusesRegistrations() {
    cluster = TestCluster.of(3, ClusterOptions.DEFAULTS.withMinimumSize(2));
    startNamed(0, "before");
    cluster.isolate(2);

    assertThatThrownBy(() -> startNamed(2, "minority"))
        .isInstanceOf(StartException.class)
        .cause()
        .isInstanceOfSatisfying(
            NoQuorumException.class,
            e -> {
              assertThat(e.members()).isEqualTo(1);
              assertThat(e.minimumSize()).isEqualTo(2);
            });
    assertThat(cluster.cluster(2).hasQuorum()).isFalse();
    startNamed(1, "majority"); // the other side has two members
  }

  @Test
  void afterAPartitionHealsANameHeldOnBothSidesKeepsTheEarlierHolderAndEndsTheOther() {
    cluster = TestCluster.of(3);
    cluster.isolate(2);
    ServerRef<Counter.Message> earlier = startNamed(0, "twice");
    await()
        .atMost(TestCluster.WAIT)
        .until(
            () ->
                cluster.member(2).getCluster().getClusterTime()
                    > cluster.member(0).getCluster().getClusterTime() - 1000);
    ServerRef<Counter.Message> later = startNamed(2, "twice"); // the lone side does not see it
    ConcurrentHashMap<String, ExitReason> exits = new ConcurrentHashMap<>();
    cluster.node(2).monitor(later.pid(), (p, reason) -> exits.put("later", reason));
    cluster.node(0).monitor(earlier.pid(), (p, reason) -> exits.put("earlier", reason));

    cluster.heal(2);

    await().atMost(TestCluster.WAIT).until(() -> exits.containsKey("later"));
    assertThat(exits.get("later"))
        .isInstanceOfSatisfying(
            ExitReason.Shutdown.class,
            s ->
                assertThat(s.info())
                    .isInstanceOfSatisfying(
                        NameConflict.class,
                        c -> {
                          assertThat(c.name()).isEqualTo("twice");
                          assertThat(c.keptBy().id()).isEqualTo(earlier.pid().id());
                        }));
    assertThat(earlier.pid().isAlive()).isTrue();
    assertThat(exits).doesNotContainKey("earlier");
    for (int m = 0; m < 3; m++) {
      int member = m;
      await()
          .atMost(TestCluster.WAIT)
          .untilAsserted(
              () ->
                  assertThat(cluster.cluster(member).registry().whereis("twice"))
                      .extracting(GlobalPid::id)
                      .isEqualTo(earlier.pid().id()));
    }
  }
}

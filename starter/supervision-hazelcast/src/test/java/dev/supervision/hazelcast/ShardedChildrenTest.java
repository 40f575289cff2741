package dev.supervision.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ServerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class ShardedChildrenTest {
  private static final Duration CALL = Duration.ofSeconds(10);
  private TestCluster cluster;
  private final List<ShardedChildren<String, Tally.Message>> tallies = new ArrayList<>();

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
      tallies.add(startTallies(i));
    }
  }

  private ShardedChildren<String, Tally.Message> startTallies(int member) {
    return cluster.closeFirst(
        ShardedChildren.start(cluster.cluster(member), "tallies", Tally::new));
  }

  private int memberOf(UUID uuid) {
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.member(i).getLifecycleService().isRunning()
          && cluster.cluster(i).member().equals(uuid)) {
        return i;
      }
    }
    throw new AssertionError("no member " + uuid);
  }

  /* A key that member `member` owns, as `from` sees it. */
  private String keyOwnedBy(int member, int from) {
    UUID owner = cluster.cluster(member).member();
    return IntStream.range(0, 10_000)
        .mapToObj(i -> "key-" + i)
        .filter(k -> tallies.get(from).ownerOf(k).equals(owner))
        .findFirst()
        .orElseThrow();
  }

  @Nested
  final class Placement {

    @Test
    void callsByKeyFromEveryMemberReachOneChildRunningOnTheKeysOwner() {
      start(3, ClusterOptions.DEFAULTS);
      List<String> keys = IntStream.range(0, 12).mapToObj(i -> "account-" + i).toList();

      for (String key : keys) {
        for (int m = 0; m < 3; m++) {
          long value = tallies.get(m).ref(key).<Long>call(r -> new Tally.Add(1, r), CALL);
          assertThat(value).isEqualTo(m + 1L);
        }
      }

      for (String key : keys) {
        int owner = memberOf(tallies.get(1).ownerOf(key));
        assertThat(tallies.get(2).ref(key).<String>call(Tally.Where::new, CALL))
            .isEqualTo("member-" + owner);
        assertThat(tallies.get(owner).localChildren()).containsKey(key);
        assertThat(Tally.live(key)).hasSize(1);
      }
      assertThat(IntStream.range(0, 3).map(m -> tallies.get(m).localChildren().size()).sum())
          .isEqualTo(keys.size());
    }

    @Test
    void concurrentFirstCallsFromAllMembersStartOneChild() throws InterruptedException {
      start(3, ClusterOptions.DEFAULTS);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> callers = new ArrayList<>();
      for (int m = 0; m < 3; m++) {
        ServerRef<Tally.Message> ref = tallies.get(m).ref("contested");
        for (int i = 0; i < 10; i++) {
          callers.add(
              Thread.ofVirtual()
                  .start(
                      () -> {
                        try {
                          go.await();
                          ref.<Long>call(r -> new Tally.Add(1, r), CALL);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
        }
      }
      go.countDown();
      for (Thread t : callers) {
        t.join();
      }

      assertThat(tallies.get(0).ref("contested").<Long>call(Tally.Get::new, CALL)).isEqualTo(30L);
      assertThat(Tally.INSTANCES.get("contested")).hasSize(1);
      assertThat(Tally.TWO_ALIVE).isEmpty();
    }

    @Test
    void castsByKeyFromOneSenderArriveInTheOrderSentThroughTheChildsStart() {
      cluster = TestCluster.of(3);
      List<ShardedChildren<String, Counter.Message>> counters = new ArrayList<>();
      for (int m = 0; m < 3; m++) {
        counters.add(
            cluster.closeFirst(
                ShardedChildren.start(cluster.cluster(m), "counters", key -> new Counter())));
      }
      UUID first = cluster.cluster(0).member();
      String key =
          IntStream.range(0, 1000)
              .mapToObj(i -> "c" + i)
              .filter(k -> counters.get(1).ownerOf(k).equals(first))
              .findFirst()
              .orElseThrow();
      ServerRef<Counter.Message> counter = counters.get(1).ref(key);

      for (int i = 0; i < 500; i++) {
        counter.cast(new Counter.Append(i));
      }
      List<Integer> appended = counter.call(Counter.Appended::new, CALL);

      assertThat(appended).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
      assertThat(counters.get(0).localChildren()).containsKey(key);
    }

    @Test
    void aMessageThatCannotBeSerializedFailsAtTheSender() {
      start(3, ClusterOptions.DEFAULTS);
      String key = keyOwnedBy(0, 1);
      ServerRef<Counter.Message> ref =
          ServerRef.of(tallies.get(1).ref(key).address()); // any protocol: it never gets there

      assertThatThrownBy(() -> ref.<Object>call(r -> new Counter.Echo(new Object(), r), CALL))
          .isInstanceOf(UnserializableMessageException.class);
      assertThat(Tally.INSTANCES).doesNotContainKey(key);
    }
  }

  @Nested
  final class Example {

    @Test
    void theJavadocExampleStartsAKeyOnFirstUseAndCallsItFromAnotherMember() {
      cluster = TestCluster.of(3);
      ClusterNode cluster = ShardedChildrenTest.this.cluster.cluster(0);
      ShardedChildren<String, Counter.Message> elsewhere =
          ShardedChildrenTest.this.cluster.closeFirst(
              ShardedChildren.start(
                  ShardedChildrenTest.this.cluster.cluster(1), "counters", key -> new Counter()));
      ShardedChildrenTest.this.cluster.closeFirst(
          ShardedChildren.start(
              ShardedChildrenTest.this.cluster.cluster(2), "counters", key -> new Counter()));

      ShardedChildren<String, Counter.Message> counters =
          ShardedChildren.start(cluster, "counters", key -> new Counter());
      counters.ref("ada").cast(new Counter.Add(1)); // started on the key's owner on first use
      long value = counters.ref("ada").call(Counter.Get::new); // from any member
      ShardedChildrenTest.this.cluster.closeFirst(counters);

      assertThat(value).isEqualTo(1L);
      assertThat(elsewhere.ref("ada").<Long>call(Counter.Get::new, CALL)).isEqualTo(1L);
    }
  }

  @Nested
  final class Restarts {

    @Test
    void aCrashedChildIsRestartedOnItsMemberByTheLocalSupervisorWithItsStateReloaded() {
      start(3, ClusterOptions.DEFAULTS);
      String key = keyOwnedBy(2, 0);
      ServerRef<Tally.Message> ref = tallies.get(0).ref(key);
      ref.<Long>call(r -> new Tally.Add(5, r), CALL);
      Pid before = tallies.get(2).localChildren().get(key);

      ref.cast(Tally.Crash.INSTANCE);

      await()
          .atMost(TestCluster.WAIT)
          .until(
              () -> {
                Pid now = tallies.get(2).localChildren().get(key);
                return now != null && now != before;
              });
      assertThat(ref.<Long>call(Tally.Get::new, CALL)).isEqualTo(5L);
      assertThat(ref.<String>call(Tally.Where::new, CALL)).isEqualTo("member-2");
      assertThat(Tally.INSTANCES.get(key)).hasSize(2);
    }

    @Test
    void aChildThatStopsNormallyIsStartedAgainByTheNextMessage() {
      start(3, ClusterOptions.DEFAULTS);
      String key = keyOwnedBy(1, 0);
      ServerRef<Tally.Message> ref = tallies.get(0).ref(key);
      ref.<Long>call(r -> new Tally.Add(2, r), CALL);
      Pid child = tallies.get(1).localChildren().get(key);

      tallies.get(1).supervisor().terminateChild(child);
      assertThat(tallies.get(1).localChildren()).doesNotContainKey(key);

      assertThat(ref.<Long>call(r -> new Tally.Add(1, r), CALL)).isEqualTo(3L);
      assertThat(tallies.get(1).localChildren().get(key)).isNotEqualTo(child);
    }
  }

  @Nested
  final class Failover {

    @Test
    void whenTheOwnersMemberDiesItsKeysAnswerFromTheirNewOwnersWithStateReloaded() {
      start(3, ClusterOptions.DEFAULTS);
      List<String> keys =
          IntStream.range(0, 30)
              .mapToObj(i -> "k" + i)
              .filter(k -> tallies.get(1).ownerOf(k).equals(cluster.cluster(0).member()))
              .limit(5)
              .toList();
      for (String key : keys) {
        tallies.get(1).ref(key).<Long>call(r -> new Tally.Add(7, r), CALL);
      }

      cluster.terminate(0);
      await().atMost(TestCluster.WAIT).until(() -> cluster.cluster(1).members().size() == 2);

      for (String key : keys) {
        ServerRef<Tally.Message> ref = tallies.get(2).ref(key);
        long value =
            await()
                .atMost(TestCluster.WAIT)
                .ignoreException(KeyMovedException.class)
                .until(() -> ref.<Long>call(Tally.Get::new, CALL), v -> v != null);
        assertThat(value).isEqualTo(7L);
        int owner = memberOf(tallies.get(2).ownerOf(key));
        assertThat(owner).isIn(1, 2);
        assertThat(tallies.get(owner).localChildren()).containsKey(key);
      }
    }

    @Test
    void theFirstCallAfterTheOwnersMemberDiesStartsANewChildOnTheNewOwner() {
      start(3, ClusterOptions.DEFAULTS);
      String key = keyOwnedBy(0, 1);
      ServerRef<Tally.Message> ref = tallies.get(1).ref(key);
      ref.<Long>call(Tally.Get::new, CALL);
      cluster.terminate(0);
      await().atMost(TestCluster.WAIT).until(() -> cluster.cluster(1).members().size() == 2);

      // KeyMovedException until the survivors have taken over the dead member's partitions
      long value =
          await()
              .atMost(TestCluster.WAIT)
              .ignoreException(KeyMovedException.class)
              .until(() -> ref.<Long>call(Tally.Get::new, CALL), v -> v != null);
      assertThat(value).isZero();
      assertThat(Tally.INSTANCES.get(key)).hasSize(2);
      assertThat(Tally.live(key)).hasSize(1);
    }
  }

  @Nested
  final class Migration {

    @Test
    void whenAMemberJoinsKeysMoveToItAndNoKeyEverHasTwoLiveChildren() throws InterruptedException {
      start(2, ClusterOptions.DEFAULTS);
      List<String> keys = IntStream.range(0, 60).mapToObj(i -> "room-" + i).toList();
      for (String key : keys) {
        tallies.get(0).ref(key).<Long>call(r -> new Tally.Add(1, r), CALL);
      }
      AtomicBoolean joined = new AtomicBoolean();
      ConcurrentHashMap<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      List<Throwable> unexpected = new CopyOnWriteArrayList<>();
      List<Thread> callers = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        ServerRef<Tally.Message>[] refs = refs(tallies.get(c), keys);
        callers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      int i = 0;
                      while (!joined.get() || i < 2 * keys.size()) {
                        ServerRef<Tally.Message> ref = refs[i++ % refs.length];
                        String outcome;
                        try {
                          ref.<Long>call(Tally.Get::new, CALL);
                          outcome = "reply";
                        } catch (KeyMovedException e) {
                          outcome = "moved";
                        } catch (CallException.ServerExited e) {
                          outcome = "handed off";
                          if (!(e.reason() instanceof ExitReason.Shutdown)) {
                            unexpected.add(e);
                          }
                        } catch (RuntimeException e) {
                          outcome = e.getClass().getSimpleName();
                          unexpected.add(e);
                        }
                        outcomes
                            .computeIfAbsent(outcome, o -> new AtomicInteger())
                            .incrementAndGet();
                      }
                    }));
      }

      int third = cluster.addMember();
      tallies.add(startTallies(third));
      await()
          .atMost(TestCluster.WAIT)
          .until(() -> cluster.member(0).getPartitionService().isClusterSafe());
      joined.set(true);
      for (Thread t : callers) {
        t.join();
      }

      List<String> moved =
          keys.stream()
              .filter(k -> tallies.get(0).ownerOf(k).equals(cluster.cluster(third).member()))
              .toList();
      assertThat(moved).isNotEmpty();
      for (String key : moved) {
        ServerRef<Tally.Message> ref = tallies.get(0).ref(key);
        await()
            .atMost(TestCluster.WAIT)
            .ignoreException(KeyMovedException.class)
            .until(() -> ref.<String>call(Tally.Where::new, CALL), w -> w.equals("member-2"));
        assertThat(ref.<Long>call(Tally.Get::new, CALL)).isEqualTo(1L);
        assertThat(tallies.get(0).localChildren()).doesNotContainKey(key);
        assertThat(tallies.get(1).localChildren()).doesNotContainKey(key);
      }
      assertThat(Tally.TWO_ALIVE).isEmpty();
      assertThat(unexpected).isEmpty();
      assertThat(outcomes).containsKey("reply").doesNotContainKey("Timeout");
      for (String key : keys) {
        assertThat(Tally.live(key)).hasSizeLessThanOrEqualTo(1);
      }
    }

    @SuppressWarnings("unchecked")
    private static ServerRef<Tally.Message>[] refs(
        ShardedChildren<String, Tally.Message> tallies, List<String> keys) {
      return keys.stream().map(tallies::ref).toArray(ServerRef[]::new);
    }
  }

  @Nested
  final class Quorum {

    @Test
    void aSideBelowTheMinimumSizeRefusesToStartChildren() {
      start(3, ClusterOptions.DEFAULTS.withMinimumSize(2));
      cluster.isolate(2);

      // (KeyMovedException until the lone member has taken over the partitions it lost)
      await()
          .atMost(TestCluster.WAIT)
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> tallies.get(2).ref("lonely").call(Tally.Get::new, CALL))
                      .isInstanceOf(NoQuorumException.class));
      assertThat(Tally.INSTANCES).doesNotContainKey("lonely");
      assertThat(tallies.get(0).ref("lonely").<Long>call(Tally.Get::new, CALL)).isZero();
    }
  }
}

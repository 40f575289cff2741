package dev.supervision.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.hazelcast.elsewhere.Work;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class RemoteTasksTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /* Tasks that block wait on this (a static: a lambda cannot capture a latch, not serializable). */
  private static volatile CountDownLatch release = new CountDownLatch(1);
  private static final AtomicInteger BLOCKING_STARTED = new AtomicInteger();

  private TestCluster cluster;
  private final List<RemoteTasks> tasks = new ArrayList<>();

  @BeforeEach
  void threeMembers() {
    release = new CountDownLatch(1);
    BLOCKING_STARTED.set(0);
    cluster = TestCluster.of(3);
    for (int i = 0; i < 3; i++) {
      tasks.add(cluster.closeFirst(RemoteTasks.start(cluster.cluster(i), "tasks")));
    }
  }

  @AfterEach
  void stop() {
    release.countDown();
    cluster.close();
  }

  private UUID member(int i) {
    return cluster.cluster(i).member();
  }

  private static String whereItRuns() {
    return ProcessContext.current().orElseThrow().self().node().name();
  }

  private static int blockUntilReleased() throws InterruptedException {
    BLOCKING_STARTED.incrementAndGet();
    release.await();
    return 1;
  }

  /* Runs the blocking task on member `target` from member 0 in another thread; its outcome. */
  private CompletableFuture<Integer> runBlocking(int target, Duration timeout) {
    CompletableFuture<Integer> outcome = send(target, timeout);
    await()
        .atMost(TestCluster.WAIT)
        .until(() -> tasks.get(target).supervisor().countChildren().active() == 1);
    return outcome;
  }

  private CompletableFuture<Integer> send(int target, Duration timeout) {
    CompletableFuture<Integer> outcome = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                outcome.complete(
                    tasks.get(0).run(member(target), RemoteTasksTest::blockUntilReleased, timeout));
              } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
              }
            });
    return outcome;
  }

  @Nested
  final class Values {

    @Test
    void aTaskRunsOnTheChosenMemberAndItsValueComesBack() {
      assertThat(tasks.get(0).run(member(2), RemoteTasksTest::whereItRuns, WAIT))
          .isEqualTo("member-2");
      assertThat(tasks.get(1).run(member(0), RemoteTasksTest::whereItRuns, WAIT))
          .isEqualTo("member-0");
    }

    @Test
    void aTaskOnTheCallersOwnMemberRunsThereThroughTheSamePath() {
      assertThat(tasks.get(1).run(member(1), RemoteTasksTest::whereItRuns, WAIT))
          .isEqualTo("member-1");
    }

    @Test
    void whatTheLambdaCapturesIsSentWithIt() {
      int base = 40;
      List<String> words = List.of("a", "b");

      int value = tasks.get(0).run(member(1), () -> base + words.size(), WAIT);

      assertThat(value).isEqualTo(42);
    }

    @Test
    void aNullValueComesBackAsNull() {
      String value = tasks.get(0).run(member(1), () -> null, WAIT);

      assertThat(value).isNull();
    }

    @Test
    void theTaskRunsUnderTheTargetMembersTaskSupervisorUntilItEnds() throws Exception {
      CompletableFuture<Integer> outcome = runBlocking(2, WAIT);
      assertThat(tasks.get(0).supervisor().countChildren().active()).isZero();

      release.countDown();

      assertThat(outcome.get()).isEqualTo(1);
      await()
          .atMost(TestCluster.WAIT)
          .until(() -> tasks.get(2).supervisor().countChildren().active() == 0);
    }
  }

  @Nested
  final class Crashes {

    @Test
    void aTaskThatThrowsComesBackAsExitedWithTheExceptionItsClassAndMessage() {
      assertThatThrownBy(
              () ->
                  tasks
                      .get(0)
                      .run(
                          member(1),
                          () -> {
                            throw new IllegalStateException("boom");
                          },
                          WAIT))
          .isInstanceOfSatisfying(
              RemoteTaskException.Exited.class,
              e -> {
                assertThat(e.reason()).isInstanceOf(ExitReason.Crashed.class);
                assertThat(e.errorClassName()).isEqualTo("java.lang.IllegalStateException");
                assertThat(e.errorMessage()).isEqualTo("boom");
                assertThat(e.getCause())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("boom");
              });
    }

    @Test
    void anExceptionOutsideTheAllowListComesBackAsItsClassNameAndMessage() {
      assertThatThrownBy(
              () ->
                  tasks
                      .get(0)
                      .run(
                          member(1),
                          () -> {
                            throw new UncheckedIOException("disk", new IOException("full"));
                          },
                          WAIT))
          .isInstanceOfSatisfying(
              RemoteTaskException.Exited.class,
              e -> {
                assertThat(e.errorClassName()).isEqualTo("java.io.UncheckedIOException");
                assertThat(e.errorMessage()).isEqualTo("disk");
                assertThat(e.getCause()).isInstanceOf(RemoteFailure.class);
              });
    }

    @Test
    void aTaskKilledOnItsMemberComesBackAsExitedKilled() {
      CompletableFuture<Integer> outcome = runBlocking(1, WAIT);

      cluster.node(1).kill(tasks.get(1).supervisor().whichChildren().getFirst().pid());

      assertThat(outcome)
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOfSatisfying(
              RemoteTaskException.Exited.class,
              e -> assertThat(e.reason()).isInstanceOf(ExitReason.Killed.class));
    }
  }

  @Nested
  final class Failures {

    @Test
    void whenTheMemberDiesWhileTheTaskRunsTheCallerGetsNodeDown() {
      CompletableFuture<Integer> outcome = runBlocking(2, WAIT);

      cluster.terminate(2);

      assertThat(outcome)
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(RemoteTaskException.NodeDown.class);
    }

    @Test
    void aMemberNotInTheClusterIsNodeDownAtOnce() {
      assertThatThrownBy(() -> tasks.get(0).run(UUID.randomUUID(), () -> 1, WAIT))
          .isInstanceOf(RemoteTaskException.NodeDown.class);
    }

    @Test
    void noAnswerWithinTheTimeoutIsTimeoutAndTheTaskIsKilledOnItsMember() {
      CompletableFuture<Integer> outcome = send(1, Duration.ofMillis(500));

      assertThat(outcome)
          .failsWithin(WAIT)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(RemoteTaskException.Timeout.class);
      await().atMost(TestCluster.WAIT).until(() -> BLOCKING_STARTED.get() == 1);
      await()
          .atMost(TestCluster.WAIT)
          .until(() -> tasks.get(1).supervisor().countChildren().active() == 0);
    }

    @Test
    void aMemberWithoutRemoteTasksOfThatNameAnswersNotStarted() {
      RemoteTasks only = cluster.closeFirst(RemoteTasks.start(cluster.cluster(0), "only-here"));

      assertThatThrownBy(() -> only.run(member(1), () -> 1, WAIT))
          .isInstanceOf(RemoteTaskException.NotStarted.class)
          .hasMessageContaining("'only-here'");
    }

    @Test
    void workThatCapturesSomethingUnserializableFailsAtTheCallerAndNothingRuns() {
      Object lock = new Object();

      assertThatThrownBy(() -> tasks.get(0).run(member(1), () -> lock.hashCode(), WAIT))
          .isInstanceOf(UnserializableMessageException.class)
          .hasMessageContaining("java.lang.Object");
      assertThat(tasks.get(1).supervisor().countChildren().active()).isZero();
    }

    @Test
    void workWrittenInAClassOutsideTheAllowListFailsAtTheCaller() {
      assertThatThrownBy(() -> tasks.get(0).run(member(1), Work.fortyTwo(), WAIT))
          .isInstanceOf(UnserializableMessageException.class)
          .hasMessageContaining("lambda written in class dev.supervision.hazelcast.elsewhere.Work");
    }

    @Test
    void startingRemoteTasksOfOneNameTwiceOnAMemberIsRefused() {
      assertThatThrownBy(() -> RemoteTasks.start(cluster.cluster(0), "tasks"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already run");
    }
  }
}

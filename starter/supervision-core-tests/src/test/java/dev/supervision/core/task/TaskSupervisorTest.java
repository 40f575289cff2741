package dev.supervision.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.supervisor.ChildException;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class TaskSupervisorTest {
  private final Node node = Node.create("tasks-test");
  private final DynamicSupervisorRef tasks = TaskSupervisor.start(node, "tasks");

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  /* Waits (bounded) until `pid` has exited. */
  private void awaitExit(Pid pid) {
    CountDownLatch exited = new CountDownLatch(1);
    node.monitor(pid, (p, reason) -> exited.countDown());
    try {
      assertThat(exited.await(10, TimeUnit.SECONDS)).as("%s exited", pid).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Nested
  final class Async {
    @Test
    void awaitReturnsTheTaskValue() {
      Task<Integer> task = TaskSupervisor.async(tasks, () -> 6 * 7);
      assertThat(task.await(Duration.ofSeconds(5))).isEqualTo(42);
      assertThat(task.isLinked()).isFalse(); // the test thread is not a process
    }

    @Test
    void aCrashInALinkedTaskTakesTheCallingProcessDownWithTheSameReason() throws Exception {
      CompletableFuture<Pid> caller = new CompletableFuture<>();
      CompletableFuture<ExitReason> callerExit = new CompletableFuture<>();
      Pid callerPid =
          node.spawn(
              self -> {
                caller.complete(self.self());
                Task<Object> task =
                    TaskSupervisor.async(
                        tasks,
                        () -> {
                          throw new IllegalStateException("task failed");
                        });
                assertThat(task.isLinked()).isTrue();
                self.receive(); // wait to be taken down
              });
      node.monitor(callerPid, (p, reason) -> callerExit.complete(reason));
      ExitReason reason = callerExit.get(5, TimeUnit.SECONDS);
      assertThat(reason).isInstanceOf(ExitReason.Crashed.class);
      assertThat(((ExitReason.Crashed) reason).error()).hasMessage("task failed");
    }

    @Test
    void awaitOfACrashedTaskThrowsExitedWithTheCause() {
      Task<Object> task =
          TaskSupervisor.async(
              tasks,
              () -> {
                throw new IllegalArgumentException("bad");
              });
      assertThatThrownBy(() -> task.await(Duration.ofSeconds(5)))
          .isInstanceOf(TaskException.Exited.class)
          .hasCauseInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  final class AsyncNolink {
    @Test
    void aCrashComesBackAsAFailedResultAndNeverKillsTheCaller() throws Exception {
      CompletableFuture<TaskResult<Object>> seen = new CompletableFuture<>();
      Pid caller =
          node.spawn(
              self -> {
                Task<Object> task =
                    TaskSupervisor.asyncNolink(
                        tasks,
                        () -> {
                          throw new IllegalStateException("nolink failure");
                        });
                seen.complete(task.poll(Duration.ofSeconds(5)).orElseThrow());
                self.receive();
              });
      TaskResult<Object> result = seen.get(5, TimeUnit.SECONDS);
      assertThat(result).isInstanceOf(TaskResult.Exited.class);
      assertThat(((TaskResult.Exited<Object>) result).reason())
          .isInstanceOf(ExitReason.Crashed.class);
      assertThat(caller.isAlive()).isTrue();
    }

    @Test
    void awaitTimesOutWhileTheUnlinkedTaskKeepsRunning() {
      CountDownLatch release = new CountDownLatch(1);
      Task<String> task =
          TaskSupervisor.asyncNolink(
              tasks,
              () -> {
                release.await();
                return "late";
              });
      assertThatThrownBy(() -> task.await(Duration.ofMillis(50)))
          .isInstanceOf(TaskException.Timeout.class);
      assertThat(task.pid().isAlive()).isTrue();
      release.countDown();
      assertThat(task.await(Duration.ofSeconds(5))).isEqualTo("late");
    }

    @Test
    void pollReturnsEmptyWhileRunningAndShutdownKillsTheTask() {
      CountDownLatch never = new CountDownLatch(1);
      Task<String> task =
          TaskSupervisor.asyncNolink(
              tasks,
              () -> {
                never.await();
                return "never";
              });
      assertThat(task.poll(Duration.ZERO)).isEmpty();
      task.shutdown();
      TaskResult<String> result = task.poll(Duration.ofSeconds(5)).orElseThrow();
      assertThat(result).isEqualTo(new TaskResult.Exited<String>(ExitReason.killed()));
    }

    @Test
    void negativeTimeoutIsRejected() {
      Task<Integer> task = TaskSupervisor.asyncNolink(tasks, () -> 1);
      assertThatThrownBy(() -> task.poll(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("timeout must be >= 0");
    }
  }

  @Nested
  final class Limits {
    @Test
    void aFullTaskSupervisorRefusesNewTasks() {
      DynamicSupervisorRef small =
          TaskSupervisor.start(node, DynamicSupervisorSpec.of("small").withMaxChildren(1));
      CountDownLatch release = new CountDownLatch(1);
      Task<Boolean> first =
          TaskSupervisor.asyncNolink(small, () -> release.await(10, TimeUnit.SECONDS));
      assertThatThrownBy(() -> TaskSupervisor.asyncNolink(small, () -> 2))
          .isInstanceOf(ChildException.MaxChildren.class);
      release.countDown();
      assertThat(first.await(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void finishedTasksLeaveTheSupervisor() {
      for (int i = 0; i < 50; i++) {
        int n = i;
        TaskSupervisor.asyncNolink(tasks, () -> n).await(Duration.ofSeconds(5));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> TaskSupervisor.children(tasks).isEmpty());
    }

    @Test
    void startChildRunsFireAndForgetWork() throws Exception {
      CountDownLatch ran = new CountDownLatch(1);
      TaskSupervisor.startChild(tasks, ran::countDown);
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Nested
  final class AsyncStream {
    @Test
    void orderedResultsFollowTheInputOrderWhateverTheCompletionOrder() {
      List<Integer> inputs = List.of(5, 1, 4, 2, 3);
      List<Object> values;
      try (Stream<TaskResult<Integer>> results =
          TaskSupervisor.asyncStream(
              tasks, inputs, n -> n * 10, StreamOptions.defaults().withMaxConcurrency(3))) {
        values =
            results.map(r -> ((TaskResult.Ok<Integer>) r).value()).map(v -> (Object) v).toList();
      }
      assertThat(values).containsExactly(50, 10, 40, 20, 30);
    }

    @Test
    void neverRunsMoreThanMaxConcurrencyTasksAtOnce() {
      AtomicInteger running = new AtomicInteger();
      AtomicInteger highest = new AtomicInteger();
      List<Integer> inputs = IntStream.range(0, 40).boxed().toList();
      long ok;
      try (Stream<TaskResult<Integer>> results =
          TaskSupervisor.asyncStream(
              tasks,
              inputs,
              n -> {
                int now = running.incrementAndGet();
                highest.accumulateAndGet(now, Math::max);
                Thread.yield();
                running.decrementAndGet();
                return n;
              },
              StreamOptions.defaults().withMaxConcurrency(4))) {
        ok = results.filter(r -> r instanceof TaskResult.Ok<Integer>).count();
      }
      assertThat(ok).isEqualTo(40);
      assertThat(highest.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void unorderedResultsComeInCompletionOrder() throws Exception {
      CountDownLatch slowMayFinish = new CountDownLatch(1);
      List<String> order = new ArrayList<>();
      try (Stream<TaskResult<String>> results =
          TaskSupervisor.asyncStream(
              tasks,
              List.of("slow", "fast"),
              s -> {
                if (s.equals("slow")) {
                  slowMayFinish.await();
                }
                return s;
              },
              StreamOptions.defaults().withMaxConcurrency(2).withOrdered(false))) {
        results.forEach(
            r -> {
              String value = ((TaskResult.Ok<String>) r).value();
              order.add(value);
              slowMayFinish.countDown();
            });
      }
      assertThat(order).containsExactly("fast", "slow");
    }

    /*
     * Elixir's Task.Supervisor.async_stream with ordered: false emits results "as soon as they are
     * ready" (Task docs, :ordered option), whenever that is relative to the stream's own progress.
     * Here "fast" completes, and "slow" after it, all while the supervisor is still starting
     * "fast" (a listener holds its ChildStarted): both complete before the stream learns fast's
     * pid, and fast must still come first.
     */
    @Test
    void unorderedResultsComeInCompletionOrderAlsoForTasksDoneBeforeTheirStartReturns() {
      CountDownLatch slowMayFinish = new CountDownLatch(1);
      List<Pid> started = new CopyOnWriteArrayList<>();
      EventBus.of(node)
          .subscribe(
              event -> {
                if (event instanceof SupervisionEvent.ChildStarted s) {
                  started.add(s.pid());
                  if (started.size() == 2) { // fast's start, still to return to the stream
                    awaitExit(s.pid()); // fast has completed
                    slowMayFinish.countDown();
                    awaitExit(started.get(0)); // and slow too
                  }
                }
              });
      List<String> order;
      try (Stream<TaskResult<String>> results =
          TaskSupervisor.asyncStream(
              tasks,
              List.of("slow", "fast"),
              s -> {
                if (s.equals("slow")) {
                  assertThat(slowMayFinish.await(10, TimeUnit.SECONDS)).isTrue();
                }
                return s;
              },
              StreamOptions.defaults().withMaxConcurrency(2).withOrdered(false))) {
        order = results.map(r -> ((TaskResult.Ok<String>) r).value()).toList();
      }
      assertThat(order).containsExactly("fast", "slow");
    }

    @Test
    void aTaskPastItsTimeoutIsKilledAndReportedAsTimedOut() {
      CountDownLatch never = new CountDownLatch(1);
      List<TaskResult<String>> results;
      try (Stream<TaskResult<String>> stream =
          TaskSupervisor.asyncStream(
              tasks,
              List.of("stuck", "quick"),
              s -> {
                if (s.equals("stuck")) {
                  never.await();
                }
                return s;
              },
              StreamOptions.defaults().withTimeout(Duration.ofMillis(100)))) {
        results = stream.toList();
      }
      assertThat(results.get(0)).isInstanceOf(TaskResult.TimedOut.class);
      assertThat(results.get(1)).isEqualTo(new TaskResult.Ok<>("quick"));
      await().atMost(Duration.ofSeconds(5)).until(() -> TaskSupervisor.children(tasks).isEmpty());
    }

    @Test
    void aCrashingElementIsReportedAndTheStreamGoesOn() {
      List<TaskResult<Integer>> results;
      try (Stream<TaskResult<Integer>> stream =
          TaskSupervisor.asyncStream(
              tasks, List.of(1, 0, 2), n -> 10 / n, StreamOptions.defaults())) {
        results = stream.toList();
      }
      assertThat(results.get(0)).isEqualTo(new TaskResult.Ok<>(10));
      assertThat(results.get(1)).isInstanceOf(TaskResult.Exited.class);
      assertThat(results.get(2)).isEqualTo(new TaskResult.Ok<>(5));
    }

    @Test
    void closingAStreamEarlyKillsTheTasksStillRunning() {
      CountDownLatch never = new CountDownLatch(1);
      try (Stream<TaskResult<Integer>> stream =
          TaskSupervisor.asyncStream(
              tasks,
              List.of(1, 2, 3, 4),
              n -> {
                if (n > 1) {
                  never.await();
                }
                return n;
              },
              StreamOptions.defaults().withMaxConcurrency(4))) {
        assertThat(stream.findFirst()).contains(new TaskResult.Ok<>(1));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> TaskSupervisor.children(tasks).isEmpty());
    }

    @Test
    void invalidOptionsAreRejectedWithAClearMessage() {
      assertThatThrownBy(() -> StreamOptions.defaults().withMaxConcurrency(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxConcurrency must be >= 1 but was 0");
      assertThatThrownBy(() -> StreamOptions.defaults().withTimeout(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("timeout must be > 0");
    }
  }
}

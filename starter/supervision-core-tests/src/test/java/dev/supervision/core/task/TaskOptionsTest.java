package dev.supervision.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Shutdown;
import dev.supervision.test.Exits;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * Per-task options (restart, shutdown), the caller chain, and asyncStream's onTimeout and
 * zipInputOnExit, each against the Elixir Task.Supervisor test it answers.
 */
final class TaskOptionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Node node = Node.create("task-options");
  private final DynamicSupervisorRef tasks = TaskSupervisor.start(node, "tasks");

  @AfterEach
  void closeNode() {
    node.close();
    await().atMost(WAIT).until(() -> node.processCount() == 0);
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static Pid self() {
    return ProcessContext.current().orElseThrow().self();
  }

  @Nested
  final class Restart_ {

    /* Task.SupervisorTest "start_child/1 with custom restart" (:permanent). */
    @Test
    void aPermanentTaskRunsAgainAfterItReturns() throws Exception {
      AtomicInteger runs = new AtomicInteger();
      CompletableFuture<Pid> second = new CompletableFuture<>();
      CountDownLatch never = new CountDownLatch(1);

      Pid first =
          TaskSupervisor.startChild(
              tasks,
              () -> {
                if (runs.incrementAndGet() == 2) {
                  second.complete(self());
                  awaitQuietly(never);
                }
              },
              TaskOptions.defaults().withRestart(Restart.PERMANENT));

      assertThat(get(second)).isNotEqualTo(first);
      assertThat(TaskSupervisor.children(tasks)).containsExactly(get(second));
    }

    /* Task.Supervisor.start_child(restart: :transient): run again after a crash only. */
    @Test
    void aTransientTaskRunsAgainAfterACrashButNotAfterReturning() throws Exception {
      AtomicInteger runs = new AtomicInteger();
      CompletableFuture<Pid> second = new CompletableFuture<>();

      Pid first =
          TaskSupervisor.startChild(
              tasks,
              () -> {
                if (runs.incrementAndGet() == 1) {
                  throw new IllegalStateException("first run fails");
                }
                second.complete(self());
              },
              TaskOptions.defaults().withRestart(Restart.TRANSIENT));

      Pid rerun = get(second);
      assertThat(rerun).isNotEqualTo(first);
      Exits.awaitExit(rerun);
      await().atMost(WAIT).until(() -> tasks.whichChildren().isEmpty());
      assertThat(runs).hasValue(2);
    }

    @Test
    void aTemporaryTaskIsNeverRunAgainAsBefore() throws Exception {
      AtomicInteger runs = new AtomicInteger();

      Pid task =
          TaskSupervisor.startChild(
              tasks,
              () -> {
                runs.incrementAndGet();
                throw new IllegalStateException("fails once");
              });

      Exits.awaitExit(task);
      await().atMost(WAIT).until(() -> tasks.whichChildren().isEmpty());
      assertThat(runs).hasValue(1);
    }
  }

  @Nested
  final class Shutdown_ {

    /* Task.SupervisorTest "start_child/1 with custom shutdown": brutal_kill, so :killed. */
    @Test
    void aTaskStartedWithBrutalKillIsKilledWhenItsSupervisorStops() {
      CountDownLatch never = new CountDownLatch(1);
      Pid task =
          TaskSupervisor.startChild(
              tasks,
              () -> awaitQuietly(never),
              TaskOptions.defaults().withShutdown(Shutdown.brutalKill()));

      tasks.stop();

      assertThat(Exits.awaitExit(task)).isEqualTo(ExitReason.killed());
    }

    @Test
    void byDefaultATaskIsAskedToShutDown() {
      CountDownLatch never = new CountDownLatch(1);
      Pid task = TaskSupervisor.startChild(tasks, () -> awaitQuietly(never));

      tasks.stop();

      assertThat(Exits.awaitExit(task)).isEqualTo(ExitReason.shutdown());
    }

    /* Task.SupervisorTest "async/1 with custom shutdown" and "async_nolink/1 with custom shutdown". */
    @Test
    void anAsyncTaskTakesAShutdownToo() {
      CountDownLatch never = new CountDownLatch(1);
      Task<Void> linked =
          TaskSupervisor.async(
              tasks,
              () -> {
                never.await();
                return null;
              },
              Shutdown.brutalKill());
      Task<Void> unlinked =
          TaskSupervisor.asyncNolink(
              tasks,
              () -> {
                never.await();
                return null;
              },
              Shutdown.brutalKill());

      tasks.stop();

      assertThat(Exits.awaitExit(linked.pid())).isEqualTo(ExitReason.killed());
      assertThat(Exits.awaitExit(unlinked.pid())).isEqualTo(ExitReason.killed());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Nested
  final class Callers {

    /* Task.SupervisorTest, async/1 "with $callers". */
    @Test
    void anAsyncTaskSeesItsCallersNearestFirstThroughNestedTasks() throws Exception {
      CompletableFuture<List<Pid>> outer = new CompletableFuture<>();
      CompletableFuture<List<Pid>> inner = new CompletableFuture<>();
      CompletableFuture<Pid> parent = new CompletableFuture<>();

      Pid grandparent =
          node.spawn(
              self ->
                  TaskSupervisor.async(
                          tasks,
                          () -> {
                            parent.complete(self());
                            outer.complete(Task.callers());
                            return TaskSupervisor.async(tasks, () -> inner.complete(Task.callers()))
                                .await();
                          })
                      .await());

      assertThat(get(outer)).containsExactly(grandparent);
      assertThat(get(inner)).containsExactly(get(parent), grandparent);
    }

    /* Task.SupervisorTest "start_child/1 with $callers". */
    @Test
    void aStartedChildSeesItsCallersAndKeepsThemWhenRunAgain() throws Exception {
      CompletableFuture<List<Pid>> firstRun = new CompletableFuture<>();
      CompletableFuture<List<Pid>> secondRun = new CompletableFuture<>();
      AtomicInteger runs = new AtomicInteger();

      Pid caller =
          node.spawn(
              self ->
                  TaskSupervisor.startChild(
                      tasks,
                      () -> {
                        if (runs.incrementAndGet() == 1) {
                          firstRun.complete(Task.callers());
                          throw new IllegalStateException("run again");
                        }
                        secondRun.complete(Task.callers());
                      },
                      TaskOptions.defaults().withRestart(Restart.TRANSIENT)));

      assertThat(get(firstRun)).containsExactly(caller);
      assertThat(get(secondRun)).containsExactly(caller);
    }

    /* Task.SupervisorTest, async_stream "with $callers". */
    @Test
    void aStreamTaskSeesItsCallersThroughNestedStreams() throws Exception {
      CompletableFuture<List<Pid>> outer = new CompletableFuture<>();
      CompletableFuture<List<Pid>> inner = new CompletableFuture<>();
      CompletableFuture<Pid> parent = new CompletableFuture<>();

      Pid grandparent =
          node.spawn(
              self -> {
                try (Stream<TaskResult<Object>> stream =
                    TaskSupervisor.asyncStream(
                        tasks,
                        List.of(1),
                        one -> {
                          parent.complete(self());
                          outer.complete(Task.callers());
                          try (Stream<TaskResult<Boolean>> nested =
                              TaskSupervisor.asyncStream(
                                  tasks,
                                  List.of(1),
                                  n -> inner.complete(Task.callers()),
                                  StreamOptions.defaults())) {
                            return nested.toList();
                          }
                        },
                        StreamOptions.defaults())) {
                  stream.forEach(r -> {});
                }
              });

      assertThat(get(outer)).containsExactly(grandparent);
      assertThat(get(inner)).containsExactly(get(parent), grandparent);
    }

    @Test
    void outsideATaskThereAreNoCallers() throws Exception {
      assertThat(Task.callers()).isEmpty();
      CompletableFuture<List<Pid>> seen = new CompletableFuture<>();
      Pid process = node.spawn(self -> seen.complete(Task.callers()));
      Exits.awaitExit(process);
      assertThat(get(seen)).isEmpty();
    }

    @Test
    void aTaskStartedFromAProcessThatIsNotATaskHasThatProcessAlone() throws Exception {
      CompletableFuture<List<Pid>> seen = new CompletableFuture<>();
      Pid caller =
          node.spawn(
              self ->
                  TaskSupervisor.asyncNolink(tasks, () -> seen.complete(Task.callers())).await());

      assertThat(get(seen)).containsExactly(caller);
    }

    @Test
    void aCallerThatIsNotAProcessAddsNoPid() {
      Task<List<Pid>> task = TaskSupervisor.asyncNolink(tasks, Task::callers);

      assertThat(task.await()).isEmpty();
    }
  }

  @Nested
  final class StreamOnTimeout {

    /* Elixir's default on_timeout: :exit — the caller exits; here the stream throws. */
    @Test
    void exitMakesTheStreamFailOnceItReachesTheTimedOutTaskAndKillsTheOthers() {
      CountDownLatch never = new CountDownLatch(1);
      try (Stream<TaskResult<String>> stream =
          TaskSupervisor.asyncStream(
              tasks,
              List.of("quick", "stuck", "also stuck"),
              s -> {
                if (!s.equals("quick")) {
                  never.await();
                }
                return s;
              },
              StreamOptions.defaults()
                  .withTimeout(Duration.ofMillis(100))
                  .withOnTimeout(StreamOptions.OnTimeout.EXIT))) {
        Iterator<TaskResult<String>> results = stream.iterator();

        assertThat(results.next()).isEqualTo(new TaskResult.Ok<>("quick"));
        assertThatThrownBy(results::next).isInstanceOf(TaskException.Timeout.class);
        assertThat(results.hasNext()).isFalse();
      }
      await().atMost(WAIT).until(() -> TaskSupervisor.children(tasks).isEmpty());
    }

    @Test
    void exitAlsoFailsAnUnorderedStream() {
      CountDownLatch never = new CountDownLatch(1);
      try (Stream<TaskResult<String>> stream =
          TaskSupervisor.asyncStream(
              tasks,
              List.of("stuck", "also stuck"),
              s -> {
                never.await();
                return s;
              },
              StreamOptions.defaults()
                  .withOrdered(false)
                  .withTimeout(Duration.ofMillis(100))
                  .withOnTimeout(StreamOptions.OnTimeout.EXIT))) {
        assertThatThrownBy(stream::toList).isInstanceOf(TaskException.Timeout.class);
      }
      await().atMost(WAIT).until(() -> TaskSupervisor.children(tasks).isEmpty());
    }

    @Test
    void killTaskIsTheDefault() {
      assertThat(StreamOptions.defaults().onTimeout()).isEqualTo(StreamOptions.OnTimeout.KILL_TASK);
      assertThat(StreamOptions.defaults().zipInputOnExit()).isFalse();
    }
  }

  @Nested
  final class StreamZipInputOnExit {

    /* Task.SupervisorTest async_stream "with timeout and :zip_input_on_exit set to true". */
    @Test
    void aTimedOutTaskCarriesItsInput() {
      CountDownLatch never = new CountDownLatch(1);
      List<TaskResult<Integer>> results;
      try (Stream<TaskResult<Integer>> stream =
          TaskSupervisor.asyncStream(
              tasks,
              List.of(1, 100),
              n -> {
                if (n == 100) {
                  never.await();
                }
                return n;
              },
              StreamOptions.defaults()
                  .withTimeout(Duration.ofMillis(100))
                  .withZipInputOnExit(true))) {
        results = stream.toList();
      }

      assertThat(results).containsExactly(new TaskResult.Ok<>(1), new TaskResult.TimedOut<>(100));
    }

    /* Task.SupervisorTest async_stream "with outer halt on failure and :zip_input_on_exit". */
    @Test
    void anExitedTaskCarriesItsInput() {
      List<Object> inputs;
      try (Stream<TaskResult<Integer>> stream =
          TaskSupervisor.asyncStream(
              tasks,
              IntStream.rangeClosed(1, 8).boxed().toList(),
              n -> {
                throw new IllegalStateException("input " + n);
              },
              StreamOptions.defaults().withZipInputOnExit(true))) {
        inputs =
            stream
                .limit(4)
                .map(r -> r instanceof TaskResult.Exited<Integer> e ? e.input() : r)
                .toList();
      }

      assertThat(inputs).containsExactly(1, 2, 3, 4);
    }

    @Test
    void withoutItExitsCarryNoInput() {
      List<TaskResult<Integer>> results;
      try (Stream<TaskResult<Integer>> stream =
          TaskSupervisor.asyncStream(tasks, List.of(0), n -> 10 / n, StreamOptions.defaults())) {
        results = stream.toList();
      }

      assertThat(results.get(0))
          .isInstanceOfSatisfying(TaskResult.Exited.class, e -> assertThat(e.input()).isNull());
    }
  }
}

package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class SupervisorIntensityTest {
  private static final Duration WINDOW = Duration.ofSeconds(5);

  private final ManualTicker ticker = new ManualTicker();
  private final Node node = Node.create("intensity", ticker);
  private final EventRecorder events = EventRecorder.on(node);
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private SupervisorRef start(int maxRestarts, ChildSpec... children) {
    return Supervisor.start(
        node,
        SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
            .withIntensity(maxRestarts, WINDOW)
            .withChildren(children));
  }

  /** Crashes child {@code id} and waits until the supervisor has restarted it. */
  private Pid crashAndAwaitRestart(SupervisorHandle sup, String id) {
    Pid old = Trees.pidOf(sup, id);
    Worker.end(old, ExitReason.crashed(new RuntimeException()));
    events.awaitExit(old);
    Pid restarted = Trees.pidOf(sup, id); // answered once the exit has been handled
    assertThat(restarted).isNotNull().isNotSameAs(old);
    return restarted;
  }

  @Nested
  final class GivingUp {

    @Test
    void theCrashAfterMaxRestartsWithinTheWindowStopsTheChildrenThenExitsWithShutdown() {
      SupervisorRef sup = start(3, Worker.spec("a", log), Worker.trapping("sibling", log));
      node.monitor(sup.pid(), (p, r) -> log.add("supervisor exited " + Worker.name(r)));
      for (int i = 0; i < 3; i++) {
        crashAndAwaitRestart(sup, "a");
        ticker.advance(Duration.ofSeconds(1));
      }
      assertThat(sup.pid().isAlive()).isTrue();
      log.clear();

      Worker.end(Trees.pidOf(sup, "a"), ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
      assertThat(log).containsExactly("terminate sibling shutdown", "supervisor exited shutdown");
      SupervisionEvent.IntensityExceeded exceeded =
          events.await(SupervisionEvent.IntensityExceeded.class, e -> true);
      assertThat(exceeded.supervisor()).isEqualTo("s");
      assertThat(exceeded.pid()).isSameAs(sup.pid());
      assertThat(exceeded.child()).isEqualTo("a");
      assertThat(exceeded.maxRestarts()).isEqualTo(3);
      assertThat(exceeded.within()).isEqualTo(WINDOW);
      assertThat(events.events(SupervisionEvent.ChildRestarted.class)).hasSize(3);
      assertThat(
              events
                  .await(SupervisionEvent.SupervisorStopped.class, e -> e.pid() == sup.pid())
                  .reason())
          .isEqualTo(ExitReason.shutdown());
    }

    @Test
    void maxRestartsZeroGivesUpAtTheFirstCrash() {
      SupervisorRef sup = start(0, Worker.spec("a", log));

      Worker.end(Trees.pidOf(sup, "a"), ExitReason.killed());

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
      assertThat(events.events(SupervisionEvent.ChildRestarted.class)).isEmpty();
      assertThat(events.events(SupervisionEvent.IntensityExceeded.class)).hasSize(1);
    }

    @Test
    void exitsThatNeedNoRestartDoNotCountTowardTheIntensity() {
      SupervisorRef sup =
          start(
              0,
              Worker.spec("t1", log).withRestart(Restart.TRANSIENT),
              Worker.spec("t2", log).withRestart(Restart.TEMPORARY));
      Pid t1 = Trees.pidOf(sup, "t1");
      Pid t2 = Trees.pidOf(sup, "t2");

      Worker.end(t1, ExitReason.normal());
      Worker.end(t2, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(t1);
      events.awaitExit(t2);

      assertThat(Trees.ids(sup)).containsExactly("t1");
      assertThat(sup.pid().isAlive()).isTrue();
    }

    @Test
    void aRestartExactlyOneWindowAfterAnotherStillCounts() {
      SupervisorRef sup = start(1, Worker.spec("a", log));
      crashAndAwaitRestart(sup, "a");

      ticker.advance(WINDOW);
      Worker.end(Trees.pidOf(sup, "a"), ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
    }
  }

  @Nested
  final class Window {

    @Test
    void crashesSpacedFurtherApartThanTheWindowNeverGiveUp() {
      SupervisorRef sup = start(1, Worker.spec("a", log));

      for (int i = 0; i < 25; i++) {
        ticker.advance(WINDOW.plusNanos(1));
        crashAndAwaitRestart(sup, "a");
      }

      assertThat(sup.pid().isAlive()).isTrue();
      assertThat(Trees.info(sup, "a").restarts()).isEqualTo(25);
      assertThat(events.events(SupervisionEvent.IntensityExceeded.class)).isEmpty();
    }

    @Test
    void aWindowTooLongForNanosecondsWorksAsAVeryLongWindow() {
      Duration millennium = Duration.ofDays(365L * 1000);
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
                  .withIntensity(1, millennium)
                  .withChildren(Worker.spec("a", log)));
      crashAndAwaitRestart(sup, "a");

      ticker.advance(Duration.ofDays(365L * 100));
      Worker.end(Trees.pidOf(sup, "a"), ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
    }

    @Test
    void onlyRestartsInsideTheSlidingWindowCount() {
      SupervisorRef sup = start(2, Worker.spec("a", log));
      crashAndAwaitRestart(sup, "a"); // t=0
      ticker.advance(Duration.ofSeconds(3));
      crashAndAwaitRestart(sup, "a"); // t=3: two in the window
      ticker.advance(Duration.ofSeconds(3));
      crashAndAwaitRestart(sup, "a"); // t=6: t=0 has left, two in the window
      assertThat(sup.pid().isAlive()).isTrue();

      ticker.advance(Duration.ofSeconds(1));
      Worker.end(Trees.pidOf(sup, "a"), ExitReason.crashed(new RuntimeException())); // t=7: three

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
    }
  }

  @Nested
  final class Escalation {

    private SupervisorSpec inner() {
      return SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)
          .withIntensity(0, WINDOW)
          .withChildren(Worker.spec("w", log));
    }

    @Test
    void aChildSupervisorThatGivesUpIsRestartedByItsParent() {
      SupervisorRef root =
          start(1, ChildSpec.supervisor("inner", inner()), Worker.spec("bystander", log));
      SupervisorRef inner = Trees.supervisorOf(root, "inner");
      Pid bystander = Trees.pidOf(root, "bystander");

      Worker.end(Trees.pidOf(inner, "w"), ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(inner.pid())).isEqualTo(ExitReason.shutdown());
      Pid newInner =
          events.await(SupervisionEvent.ChildRestarted.class, e -> e.child().equals("inner")).pid();
      assertThat(newInner).isNotSameAs(inner.pid());
      assertThat(Trees.pidOf(root, "inner")).isSameAs(newInner);
      assertThat(Trees.pidOf(SupervisorRef.of(newInner), "w")).isNotNull();
      assertThat(Trees.pidOf(root, "bystander")).isSameAs(bystander);
      assertThat(root.pid().isAlive()).isTrue();
    }

    @Test
    void repeatedGiveUpsOfAChildSupervisorMakeTheParentGiveUpToo() {
      SupervisorRef top =
          Supervisor.start(
              node,
              SupervisorSpec.of("top", Strategy.ONE_FOR_ONE)
                  .withIntensity(1, WINDOW)
                  .withChildren(
                      ChildSpec.supervisor(
                          "root",
                          SupervisorSpec.of("root", Strategy.ONE_FOR_ONE)
                              .withIntensity(1, WINDOW)
                              .withChildren(ChildSpec.supervisor("inner", inner())))));
      SupervisorRef root = Trees.supervisorOf(top, "root");

      SupervisorRef inner = Trees.supervisorOf(root, "inner");
      Worker.end(Trees.pidOf(inner, "w"), ExitReason.crashed(new RuntimeException()));
      SupervisorRef inner2 =
          SupervisorRef.of(
              events
                  .await(SupervisionEvent.ChildRestarted.class, e -> e.child().equals("inner"))
                  .pid());
      assertThat(root.pid().isAlive()).isTrue();

      Worker.end(Trees.pidOf(inner2, "w"), ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(root.pid())).isEqualTo(ExitReason.shutdown());
      assertThat(events.events(SupervisionEvent.IntensityExceeded.class))
          .extracting(SupervisionEvent.IntensityExceeded::supervisor)
          .containsExactly("inner", "inner", "root");
      Pid newRoot =
          events.await(SupervisionEvent.ChildRestarted.class, e -> e.child().equals("root")).pid();
      assertThat(Trees.pidOf(top, "root")).isSameAs(newRoot);
      assertThat(top.pid().isAlive()).isTrue();
    }

    @Test
    void aTransientChildSupervisorThatGivesUpIsNotRestarted() {
      SupervisorRef root =
          start(1, ChildSpec.supervisor("inner", inner()).withRestart(Restart.TRANSIENT));
      SupervisorRef inner = Trees.supervisorOf(root, "inner");

      Worker.end(Trees.pidOf(inner, "w"), ExitReason.crashed(new RuntimeException()));
      events.awaitExit(inner.pid());

      assertThat(Trees.info(root, "inner").state()).isEqualTo(ChildState.STOPPED);
      assertThat(root.pid().isAlive()).isTrue();
    }
  }

  @Nested
  final class FailedRestarts {

    @Test
    void aChildWhoseRestartFailsIsRestartingAndRetriedUntilItStarts() {
      AtomicBoolean failing = new AtomicBoolean();
      AtomicInteger attempts = new AtomicInteger();
      ChildStart start =
          () -> {
            attempts.incrementAndGet();
            if (failing.get()) {
              throw new IllegalStateException("not now");
            }
            return Worker.start("a", log, false).start();
          };
      SupervisorRef sup =
          start(Integer.MAX_VALUE, ChildSpec.worker("a", start), Worker.spec("b", log));
      Pid a = Trees.pidOf(sup, "a");
      failing.set(true);

      Worker.end(a, ExitReason.crashed(new RuntimeException()));

      await()
          .atMost(Nodes.TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> Trees.info(sup, "a").state() == ChildState.RESTARTING);
      assertThat(Trees.pidOf(sup, "a")).isNull();
      ChildCounts counts = sup.countChildren();
      assertThat(counts.specs()).isEqualTo(2);
      assertThat(counts.active()).isEqualTo(1);
      assertThatThrownBy(() -> sup.restartChild("a")).isInstanceOf(ChildException.Restarting.class);
      assertThatThrownBy(() -> sup.deleteChild("a")).isInstanceOf(ChildException.Restarting.class);
      assertThatThrownBy(() -> sup.startChild(Worker.spec("a", log)))
          .isInstanceOf(ChildException.AlreadyPresent.class);
      assertThat(events.events(SupervisionEvent.ChildStartFailed.class)).isNotEmpty();
      int failedSoFar = attempts.get();
      assertThat(failedSoFar).isGreaterThan(2);

      failing.set(false);

      await()
          .atMost(Nodes.TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> Trees.info(sup, "a").state() == ChildState.RUNNING);
      assertThat(Trees.pidOf(sup, "a")).isNotNull().isNotSameAs(a);
      assertThat(sup.pid().isAlive()).isTrue();
    }

    @Test
    void eachRetryCountsTowardTheIntensitySoAStartThatKeepsFailingEscalates() {
      AtomicBoolean failing = new AtomicBoolean();
      AtomicInteger attempts = new AtomicInteger();
      ChildStart start =
          () -> {
            if (failing.get()) {
              attempts.incrementAndGet();
              throw new IllegalStateException("not now");
            }
            return Worker.start("a", log, false).start();
          };
      SupervisorRef sup = start(5, ChildSpec.worker("a", start), Worker.trapping("b", log));
      failing.set(true);
      log.clear();

      Worker.end(Trees.pidOf(sup, "a"), ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
      assertThat(attempts.get()).isEqualTo(5);
      assertThat(events.events(SupervisionEvent.ChildStartFailed.class)).hasSize(5);
      assertThat(events.events(SupervisionEvent.IntensityExceeded.class))
          .singleElement()
          .extracting(SupervisionEvent.IntensityExceeded::child)
          .isEqualTo("a");
      assertThat(log).containsExactly("terminate b shutdown");
    }

    /*
     * Mirrors Erlang's supervisor_SUITE one_for_one_escalation (a start that fails on every restart
     * escalates through the retries) with a start function that throws an Error, which OTP's
     * `catch` makes a failed restart like any other.
     */
    @Test
    void aRestartThrowingAnErrorIsAFailedRestartRetriedAndCountedTowardTheIntensity() {
      AtomicBoolean failing = new AtomicBoolean();
      AtomicInteger attempts = new AtomicInteger();
      ChildStart start =
          () -> {
            if (failing.get()) {
              attempts.incrementAndGet();
              throw new ExceptionInInitializerError("static init failed");
            }
            return Worker.start("a", log, false).start();
          };
      SupervisorRef sup = start(5, ChildSpec.worker("a", start), Worker.trapping("b", log));
      Pid supPid = sup.pid();
      failing.set(true);
      log.clear();

      Worker.end(Trees.pidOf(sup, "a"), ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(supPid)).isEqualTo(ExitReason.shutdown());
      assertThat(attempts.get()).isEqualTo(5);
      assertThat(events.events(SupervisionEvent.ChildStartFailed.class))
          .hasSize(5)
          .allSatisfy(e -> assertThat(e.error()).isInstanceOf(ExceptionInInitializerError.class));
      assertThat(log).containsExactly("terminate b shutdown");
    }

    @Test
    void terminateChildEndsTheRetryLoop() {
      AtomicBoolean failing = new AtomicBoolean();
      AtomicInteger attempts = new AtomicInteger();
      ChildStart start =
          () -> {
            attempts.incrementAndGet();
            if (failing.get()) {
              throw new IllegalStateException("not now");
            }
            return Worker.start("a", log, false).start();
          };
      SupervisorRef sup = start(Integer.MAX_VALUE, ChildSpec.worker("a", start));
      failing.set(true);
      Worker.end(Trees.pidOf(sup, "a"), ExitReason.crashed(new RuntimeException()));
      await()
          .atMost(Nodes.TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> Trees.info(sup, "a").state() == ChildState.RESTARTING);

      sup.terminateChild("a");
      sup.countChildren(); // any retry queued before the terminate has been seen
      int afterTerminate = attempts.get();
      sup.countChildren();
      sup.countChildren();

      assertThat(attempts.get()).isEqualTo(afterTerminate);
      assertThat(Trees.info(sup, "a").state()).isEqualTo(ChildState.STOPPED);
      failing.set(false);
      assertThat(sup.restartChild("a").isAlive()).isTrue();
    }

    /*
     * Mirrors Erlang's supervisor_SUITE hanging_restart_loop_rest_for_one: while child2's restart
     * keeps failing, which_children lists child2 as restarting and child3 as undefined, counts are
     * [3,1,0,3]; after terminate_child(child2) both are undefined and nothing restarts them.
     */
    @Test
    void restForOneMarksOnlyTheChildWhoseStartFailedRestartingAndLeavesThoseAfterItStopped() {
      AtomicBoolean failing = new AtomicBoolean();
      AtomicInteger attempts = new AtomicInteger();
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("s", Strategy.REST_FOR_ONE)
                  .withIntensity(Integer.MAX_VALUE, WINDOW)
                  .withChildren(
                      Worker.spec("a", log),
                      ChildSpec.worker("b", failingWhile(failing, attempts, "b")),
                      Worker.spec("c", log)));
      Pid a = Trees.pidOf(sup, "a");
      failing.set(true);

      Worker.end(Trees.pidOf(sup, "b"), ExitReason.crashed(new RuntimeException()));

      awaitState(sup, "b", ChildState.RESTARTING);
      assertThat(Trees.info(sup, "c").state()).isEqualTo(ChildState.STOPPED);
      assertThat(Trees.pidOf(sup, "c")).isNull();
      assertThat(sup.countChildren()).isEqualTo(new ChildCounts(3, 1, 0, 3));
      assertThatThrownBy(() -> sup.restartChild("b")).isInstanceOf(ChildException.Restarting.class);

      sup.terminateChild("b");
      sup.countChildren(); // the retry queued before the terminate has been handled
      int afterTerminate = attempts.get();

      assertThat(Trees.info(sup, "b").state()).isEqualTo(ChildState.STOPPED);
      assertThat(Trees.info(sup, "c").state()).isEqualTo(ChildState.STOPPED);
      assertThat(Trees.pidOf(sup, "c")).isNull();
      assertThat(attempts.get()).isEqualTo(afterTerminate);
      assertThat(sup.restartChild("c").isAlive()).isTrue();
      assertThat(Trees.pidOf(sup, "a")).isSameAs(a);
    }

    /*
     * Mirrors Erlang's supervisor.erl restart_multiple_children: when a start fails in a
     * one_for_all cycle only that child is {restarting, _}; the children after it keep pid
     * undefined, and the retry is a restart of the failed child (its '$gen_restart' message is
     * ignored once terminate_child has set its pid to undefined).
     */
    @Test
    void oneForAllMarksOnlyTheChildWhoseStartFailedRestartingAndTheRetryEndsWithItsTermination() {
      AtomicBoolean failing = new AtomicBoolean();
      AtomicInteger attempts = new AtomicInteger();
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("s", Strategy.ONE_FOR_ALL)
                  .withIntensity(Integer.MAX_VALUE, WINDOW)
                  .withChildren(
                      Worker.spec("a", log),
                      ChildSpec.worker("b", failingWhile(failing, attempts, "b")),
                      Worker.spec("c", log)));
      failing.set(true);

      Worker.end(Trees.pidOf(sup, "c"), ExitReason.crashed(new RuntimeException()));

      awaitState(sup, "b", ChildState.RESTARTING);
      assertThat(Trees.info(sup, "c").state()).isEqualTo(ChildState.STOPPED);
      assertThat(Trees.pidOf(sup, "c")).isNull();

      sup.terminateChild("b");
      sup.countChildren(); // the retry queued before the terminate has been handled
      int afterTerminate = attempts.get();

      assertThat(sup.whichChildren())
          .extracting(ChildInfo::id, ChildInfo::state)
          .containsExactly(
              tuple("a", ChildState.RUNNING),
              tuple("b", ChildState.STOPPED),
              tuple("c", ChildState.STOPPED));
      assertThat(attempts.get()).isEqualTo(afterTerminate);
      assertThat(sup.restartChild("c").isAlive()).isTrue();
    }

    /* A start that throws while `failing` is set (counting the attempts), else starts a worker. */
    private ChildStart failingWhile(AtomicBoolean failing, AtomicInteger attempts, String id) {
      return () -> {
        if (failing.get()) {
          attempts.incrementAndGet();
          throw new IllegalStateException("not now");
        }
        return Worker.start(id, log, false).start();
      };
    }

    private void awaitState(SupervisorRef sup, String id, ChildState state) {
      await()
          .atMost(Nodes.TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> Trees.info(sup, id).state() == state);
    }

    @Test
    void oneForAllRetriesTheWholeGroupWhenAStartFailsDuringTheGroupRestart() {
      AtomicBoolean failing = new AtomicBoolean();
      ChildStart flaky =
          () -> {
            log.add("start b");
            if (failing.getAndSet(false)) {
              throw new IllegalStateException("once");
            }
            return Worker.start("b-server", log, true).start();
          };
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("s", Strategy.ONE_FOR_ALL)
                  .withIntensity(10, WINDOW)
                  .withChildren(
                      Worker.trapping("a", log),
                      ChildSpec.worker("b", flaky),
                      Worker.trapping("c", log)));
      Pid c = Trees.pidOf(sup, "c");
      failing.set(true);
      log.clear();

      Worker.end(c, ExitReason.crashed(new RuntimeException()));

      await()
          .atMost(Nodes.TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> sup.whichChildren().stream().allMatch(i -> i.state() == ChildState.RUNNING));
      assertThat(log)
          .containsExactly(
              "terminate c crashed",
              "terminate b-server shutdown",
              "terminate a shutdown",
              "start a",
              "start b",
              "terminate a shutdown",
              "start a",
              "start b",
              "start b-server",
              "start c");
    }

    @Test
    void restForOneResumesFromTheChildWhoseStartFailedDuringTheGroupRestart() {
      AtomicBoolean failing = new AtomicBoolean();
      ChildStart flaky =
          () -> {
            log.add("start b");
            if (failing.getAndSet(false)) {
              throw new IllegalStateException("once");
            }
            return Worker.start("b-server", log, true).start();
          };
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("s", Strategy.REST_FOR_ONE)
                  .withIntensity(10, WINDOW)
                  .withChildren(
                      Worker.trapping("a", log),
                      ChildSpec.worker("b", flaky),
                      Worker.trapping("c", log)));
      failing.set(true);
      log.clear();

      Worker.end(Trees.pidOf(sup, "a"), ExitReason.crashed(new RuntimeException()));

      await()
          .atMost(Nodes.TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> sup.whichChildren().stream().allMatch(i -> i.state() == ChildState.RUNNING));
      assertThat(log)
          .containsExactly(
              "terminate a crashed",
              "terminate c shutdown",
              "terminate b-server shutdown",
              "start a",
              "start b",
              "start b",
              "start b-server",
              "start c");
      assertThat(events.events(SupervisionEvent.ChildRestarted.class))
          .extracting(SupervisionEvent.ChildRestarted::child)
          .containsExactly("a", "b", "c");
    }
  }
}

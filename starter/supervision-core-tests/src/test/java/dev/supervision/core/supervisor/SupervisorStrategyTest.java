package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.test.ManualTicker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

final class SupervisorStrategyTest {
  private final Node node = Node.create("strategy", new ManualTicker());
  private final EventRecorder events = EventRecorder.on(node);
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private SupervisorRef start(Strategy strategy, ChildSpec... children) {
    return Supervisor.start(
        node,
        SupervisorSpec.of("s", strategy)
            .withIntensity(100, java.time.Duration.ofSeconds(5))
            .withChildren(children));
  }

  /** Ends {@code child} with {@code reason} and waits until its supervisor has dealt with it. */
  private void endAndAwaitHandling(SupervisorRef sup, String id, ExitReason reason) {
    Pid child = Trees.pidOf(sup, id);
    assertThat(child).as("pid of %s", id).isNotNull();
    Worker.end(child, reason);
    events.awaitExit(child);
    sup.countChildren(); // answered once the exit has been handled
  }

  @Nested
  final class OneForOne {

    @Test
    void restartsOnlyTheCrashedChild() {
      SupervisorRef sup =
          start(
              Strategy.ONE_FOR_ONE,
              Worker.trapping("a", log),
              Worker.trapping("b", log),
              Worker.trapping("c", log));
      List<Pid> before = Trees.pids(sup);
      log.clear();

      endAndAwaitHandling(sup, "b", ExitReason.crashed(new RuntimeException()));

      List<Pid> after = Trees.pids(sup);
      assertThat(after.get(0)).isSameAs(before.get(0));
      assertThat(after.get(1)).isNotNull().isNotSameAs(before.get(1));
      assertThat(after.get(1).isAlive()).isTrue();
      assertThat(after.get(2)).isSameAs(before.get(2));
      assertThat(log).containsExactly("terminate b crashed", "start b");
      assertThat(Trees.info(sup, "b").restarts()).isEqualTo(1);
      assertThat(Worker.ref(after.get(1)).call(Worker.Ping::new)).isEqualTo("pong");
    }
  }

  @Nested
  final class OneForAll {

    @Test
    void terminatesTheOthersInReverseOrderThenRestartsAllInStartOrder() {
      SupervisorRef sup =
          start(
              Strategy.ONE_FOR_ALL,
              Worker.trapping("a", log),
              Worker.trapping("b", log),
              Worker.trapping("c", log),
              Worker.trapping("d", log));
      List<Pid> before = Trees.pids(sup);
      log.clear();

      endAndAwaitHandling(sup, "b", ExitReason.crashed(new RuntimeException()));

      assertThat(log)
          .containsExactly(
              "terminate b crashed",
              "terminate d shutdown",
              "terminate c shutdown",
              "terminate a shutdown",
              "start a",
              "start b",
              "start c",
              "start d");
      List<Pid> after = Trees.pids(sup);
      for (int i = 0; i < before.size(); i++) {
        assertThat(after.get(i)).isNotNull().isNotSameAs(before.get(i));
        assertThat(before.get(i).isAlive()).isFalse();
      }
      assertThat(sup.whichChildren()).extracting(ChildInfo::restarts).containsOnly(1);
    }

    @Test
    void dropsTemporaryBystanders() {
      SupervisorRef sup =
          start(
              Strategy.ONE_FOR_ALL,
              Worker.spec("a", log),
              Worker.spec("temp", log).withRestart(Restart.TEMPORARY),
              Worker.spec("c", log));
      Pid temp = Trees.pidOf(sup, "temp");

      endAndAwaitHandling(sup, "c", ExitReason.killed());

      assertThat(Trees.ids(sup)).containsExactly("a", "c");
      assertThat(temp.exitReason()).contains(ExitReason.shutdown());
    }

    @Test
    void alsoStartsNonTemporaryChildrenThatWereStoppedBefore() {
      SupervisorRef sup =
          start(
              Strategy.ONE_FOR_ALL,
              Worker.spec("a", log),
              Worker.spec("stopped", log).withRestart(Restart.TRANSIENT),
              Worker.spec("c", log));
      sup.terminateChild("stopped");
      assertThat(Trees.pidOf(sup, "stopped")).isNull();

      endAndAwaitHandling(sup, "a", ExitReason.crashed(new RuntimeException()));

      assertThat(Trees.info(sup, "stopped").state()).isEqualTo(ChildState.RUNNING);
      assertThat(Trees.pidOf(sup, "stopped")).isNotNull();
    }

    @Test
    void aTemporaryChildExitingRestartsNobody() {
      SupervisorRef sup =
          start(
              Strategy.ONE_FOR_ALL,
              Worker.spec("a", log),
              Worker.spec("temp", log).withRestart(Restart.TEMPORARY));
      Pid a = Trees.pidOf(sup, "a");

      endAndAwaitHandling(sup, "temp", ExitReason.crashed(new RuntimeException()));

      assertThat(Trees.ids(sup)).containsExactly("a");
      assertThat(Trees.pidOf(sup, "a")).isSameAs(a);
    }
  }

  @Nested
  final class RestForOne {

    @Test
    void restartsTheCrashedChildAndThoseStartedAfterItWhileEarlierOnesKeepTheirPids() {
      SupervisorRef sup =
          start(
              Strategy.REST_FOR_ONE,
              Worker.trapping("a", log),
              Worker.trapping("b", log),
              Worker.trapping("c", log),
              Worker.trapping("d", log));
      List<Pid> before = Trees.pids(sup);
      log.clear();

      endAndAwaitHandling(sup, "b", ExitReason.crashed(new RuntimeException()));

      assertThat(log)
          .containsExactly(
              "terminate b crashed",
              "terminate d shutdown",
              "terminate c shutdown",
              "start b",
              "start c",
              "start d");
      List<Pid> after = Trees.pids(sup);
      assertThat(after.get(0)).isSameAs(before.get(0));
      for (int i = 1; i < before.size(); i++) {
        assertThat(after.get(i)).isNotNull().isNotSameAs(before.get(i));
      }
    }

    @Test
    void theLastChildCrashingRestartsOnlyItself() {
      SupervisorRef sup =
          start(Strategy.REST_FOR_ONE, Worker.spec("a", log), Worker.spec("b", log));
      Pid a = Trees.pidOf(sup, "a");
      Pid b = Trees.pidOf(sup, "b");

      endAndAwaitHandling(sup, "b", ExitReason.killed());

      assertThat(Trees.pidOf(sup, "a")).isSameAs(a);
      assertThat(Trees.pidOf(sup, "b")).isNotNull().isNotSameAs(b);
    }

    @Test
    void dropsTemporaryBystandersStartedAfterTheCrashedChild() {
      SupervisorRef sup =
          start(
              Strategy.REST_FOR_ONE,
              Worker.spec("temp0", log).withRestart(Restart.TEMPORARY),
              Worker.spec("b", log),
              Worker.spec("temp2", log).withRestart(Restart.TEMPORARY),
              Worker.spec("d", log));
      Pid temp0 = Trees.pidOf(sup, "temp0");

      endAndAwaitHandling(sup, "b", ExitReason.crashed(new RuntimeException()));

      assertThat(Trees.ids(sup)).containsExactly("temp0", "b", "d");
      assertThat(Trees.pidOf(sup, "temp0")).isSameAs(temp0);
    }
  }

  @Nested
  final class GroupRestartEvents {

    @ParameterizedTest
    @EnumSource(
        value = Strategy.class,
        names = {"ONE_FOR_ALL", "REST_FOR_ONE"})
    void publishesAnExitForEveryTerminatedChildAndARestartForEveryStartedOne(Strategy strategy) {
      SupervisorRef sup = start(strategy, Worker.spec("a", log), Worker.spec("b", log));
      Pid a = Trees.pidOf(sup, "a");
      Pid b = Trees.pidOf(sup, "b");

      endAndAwaitHandling(sup, "a", ExitReason.crashed(new RuntimeException()));

      List<SupervisionEvent> tail =
          events.events().stream()
              .filter(
                  e ->
                      e instanceof SupervisionEvent.ChildExited
                          || e instanceof SupervisionEvent.ChildRestarted)
              .toList();
      assertThat(tail).hasSize(4);
      assertThat(tail.get(0))
          .isInstanceOfSatisfying(
              SupervisionEvent.ChildExited.class,
              e -> {
                assertThat(e.pid()).isSameAs(a);
                assertThat(e.reason()).isInstanceOf(ExitReason.Crashed.class);
              });
      assertThat(tail.get(1))
          .isInstanceOfSatisfying(
              SupervisionEvent.ChildExited.class,
              e -> {
                assertThat(e.pid()).isSameAs(b);
                assertThat(e.reason()).isEqualTo(ExitReason.shutdown());
              });
      assertThat(tail.get(2))
          .isInstanceOfSatisfying(
              SupervisionEvent.ChildRestarted.class, e -> assertThat(e.child()).isEqualTo("a"));
      assertThat(tail.get(3))
          .isInstanceOfSatisfying(
              SupervisionEvent.ChildRestarted.class, e -> assertThat(e.child()).isEqualTo("b"));
    }
  }

  /**
   * OTP's restart type x exit reason table: whether the child is restarted and whether its spec is
   * kept.
   */
  @Nested
  final class RestartTypeByExitReason {

    static Stream<Arguments> table() {
      ExitReason crashed = ExitReason.crashed(new IllegalStateException("crash requested"));
      return Stream.of(
          Arguments.of(Restart.PERMANENT, ExitReason.normal(), true, true),
          Arguments.of(Restart.PERMANENT, ExitReason.shutdown(), true, true),
          Arguments.of(Restart.PERMANENT, ExitReason.killed(), true, true),
          Arguments.of(Restart.PERMANENT, crashed, true, true),
          Arguments.of(Restart.TRANSIENT, ExitReason.normal(), false, true),
          Arguments.of(Restart.TRANSIENT, ExitReason.shutdown(), false, true),
          Arguments.of(Restart.TRANSIENT, ExitReason.killed(), true, true),
          Arguments.of(Restart.TRANSIENT, crashed, true, true),
          Arguments.of(Restart.TEMPORARY, ExitReason.normal(), false, false),
          Arguments.of(Restart.TEMPORARY, ExitReason.shutdown(), false, false),
          Arguments.of(Restart.TEMPORARY, ExitReason.killed(), false, false),
          Arguments.of(Restart.TEMPORARY, crashed, false, false));
    }

    @ParameterizedTest(name = "{0} child exiting with {1}: restarted={2}, spec kept={3}")
    @MethodSource("table")
    void aChildIsRestartedAndItsSpecKeptAccordingToItsRestartTypeAndExitReason(
        Restart restart, ExitReason reason, boolean restarted, boolean specKept) {
      SupervisorRef sup =
          start(
              Strategy.ONE_FOR_ONE,
              Worker.spec("sibling", log),
              Worker.spec("child", log).withRestart(restart));
      Pid sibling = Trees.pidOf(sup, "sibling");
      Pid child = Trees.pidOf(sup, "child");

      endAndAwaitHandling(sup, "child", reason);

      assertThat(Worker.name(child.exitReason().orElseThrow())).isEqualTo(Worker.name(reason));
      assertThat(restart.restartsAfter(reason)).isEqualTo(restarted);
      List<String> ids = Trees.ids(sup);
      if (!specKept) {
        assertThat(ids).containsExactly("sibling");
      } else {
        assertThat(ids).containsExactly("sibling", "child");
        ChildInfo info = Trees.info(sup, "child");
        if (restarted) {
          assertThat(info.state()).isEqualTo(ChildState.RUNNING);
          assertThat(info.pid()).isNotNull().isNotSameAs(child);
          assertThat(info.restarts()).isEqualTo(1);
        } else {
          assertThat(info.state()).isEqualTo(ChildState.STOPPED);
          assertThat(info.pid()).isNull();
          assertThat(info.restarts()).isZero();
        }
      }
      assertThat(Trees.pidOf(sup, "sibling")).isSameAs(sibling);
    }

    @ParameterizedTest(name = "{0} child stopped by terminateChild")
    @EnumSource(Restart.class)
    void aChildStoppedThroughTerminateChildIsNeverRestartedAndOnlyATemporarySpecIsDeleted(
        Restart restart) {
      SupervisorRef sup =
          start(Strategy.ONE_FOR_ALL, Worker.spec("child", log).withRestart(restart));
      Pid child = Trees.pidOf(sup, "child");

      sup.terminateChild("child");

      assertThat(child.exitReason()).contains(ExitReason.shutdown());
      if (restart == Restart.TEMPORARY) {
        assertThat(sup.whichChildren()).isEmpty();
      } else {
        assertThat(Trees.info(sup, "child").state()).isEqualTo(ChildState.STOPPED);
        assertThat(Trees.pidOf(sup, "child")).isNull();
      }
      assertThat(events.events(SupervisionEvent.ChildRestarted.class)).isEmpty();
    }
  }
}

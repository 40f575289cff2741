package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class SupervisorApiTest {
  private final Node node = Node.create("api", new ManualTicker());
  private final EventRecorder events = EventRecorder.on(node);
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private SupervisorRef start(ChildSpec... children) {
    return Supervisor.start(
        node, SupervisorSpec.of("s", Strategy.REST_FOR_ONE).withChildren(children));
  }

  private static ChildSpec failing(String id, RuntimeException error) {
    return ChildSpec.worker(
        id,
        () -> {
          throw error;
        });
  }

  @Nested
  final class StartChild {

    @Test
    void startsTheChildAndAppendsItToTheStartOrder() {
      SupervisorRef sup = start(Worker.spec("a", log));

      Pid b = sup.startChild(Worker.spec("b", log));

      assertThat(b.isAlive()).isTrue();
      assertThat(node.links(b)).containsExactly(sup.pid());
      assertThat(Trees.ids(sup)).containsExactly("a", "b");
      assertThat(Trees.pidOf(sup, "b")).isSameAs(b);
      assertThat(events.await(SupervisionEvent.ChildStarted.class, e -> e.pid() == b).child())
          .isEqualTo("b");
    }

    /*
     * Mirrors Erlang's supervisor_SUITE do_not_save_start_parameters_for_temporary_children: OTP
     * keeps a temporary child's start as {M, F, undefined}, nothing of what it was started with.
     */
    @Test
    void aRunningTemporaryChildsStartFunctionIsNotKept() {
      SupervisorRef sup = start(Worker.spec("a", log));

      Captured.Started started = Captured.startTemporary(spec -> sup.startChild(spec), "t", log);
      Pid t = started.pid();

      Captured.awaitCollected(started.captured());
      assertThat(t.isAlive()).isTrue();
      assertThat(Trees.pidOf(sup, "t")).isSameAs(t);
      assertThat(Trees.info(sup, "t").restart()).isEqualTo(Restart.TEMPORARY);
      sup.terminateChild("t");
      assertThat(t.isAlive()).isFalse();
      assertThat(Trees.ids(sup)).containsExactly("a");
    }

    @Test
    void aRunningChildWithTheSameIdGivesAlreadyStartedWithItsPid() {
      SupervisorRef sup = start(Worker.spec("a", log));
      Pid a = Trees.pidOf(sup, "a");

      assertThatThrownBy(() -> sup.startChild(Worker.spec("a", log)))
          .isInstanceOfSatisfying(
              ChildException.AlreadyStarted.class, e -> assertThat(e.pid()).isSameAs(a));
      assertThat(Trees.ids(sup)).containsExactly("a");
    }

    @Test
    void aStartFindingItsNameTakenGivesAlreadyStartedWithTheHolder() {
      SingleName name = new SingleName();
      SupervisorRef sup = start(ChildSpec.worker("first", name.start()));
      Pid holder = Trees.pidOf(sup, "first");

      assertThatThrownBy(() -> sup.startChild(ChildSpec.worker("second", name.start())))
          .isInstanceOfSatisfying(
              ChildException.AlreadyStarted.class, e -> assertThat(e.pid()).isSameAs(holder));
      assertThat(Trees.ids(sup)).containsExactly("first");
    }

    @Test
    void aStoppedChildWithTheSameIdGivesAlreadyPresent() {
      SupervisorRef sup = start(Worker.spec("a", log));
      sup.terminateChild("a");

      assertThatThrownBy(() -> sup.startChild(Worker.spec("a", log)))
          .isInstanceOf(ChildException.AlreadyPresent.class)
          .hasMessageContaining("'a'");
    }

    @Test
    void aFailingStartGivesStartFailedWithTheCauseAndTheSpecIsNotKept() {
      SupervisorRef sup = start(Worker.spec("a", log));
      IllegalStateException boom = new IllegalStateException("boom");

      assertThatThrownBy(() -> sup.startChild(failing("bad", boom)))
          .isInstanceOf(ChildException.StartFailed.class)
          .hasMessageContaining("'bad'")
          .hasCause(boom);

      assertThat(Trees.ids(sup)).containsExactly("a");
      assertThat(events.await(SupervisionEvent.ChildStartFailed.class, e -> true).error())
          .isSameAs(boom);
      assertThat(sup.startChild(Worker.spec("bad", log)).isAlive()).isTrue();
    }

    /*
     * Mirrors Erlang's supervisor.erl do_start_child_i, which runs the start function under
     * `catch` so that any crash of it is {error, Reason}, and Elixir's DynamicSupervisor test
     * "start_child/2 with throw/error/exit": a java.lang.Error is a failed start, not a crash.
     */
    @Test
    void aStartThrowingAnErrorGivesStartFailedAndTheSupervisorAndItsChildrenStayUp() {
      SupervisorRef sup = start(Worker.spec("a", log));
      Pid a = Trees.pidOf(sup, "a");
      AssertionError boom = new AssertionError("boom");

      assertThatThrownBy(
              () ->
                  sup.startChild(
                      ChildSpec.worker(
                          "bad",
                          () -> {
                            throw boom;
                          })))
          .isInstanceOf(ChildException.StartFailed.class)
          .hasCause(boom);

      assertThat(sup.pid().isAlive()).isTrue();
      assertThat(Trees.ids(sup)).containsExactly("a");
      assertThat(Trees.pidOf(sup, "a")).isSameAs(a);
      assertThat(events.await(SupervisionEvent.ChildStartFailed.class, e -> true).error())
          .isSameAs(boom);
    }

    /* A VirtualMachineError is never supervised (STYLE.md): it is not taken for a failed start. */
    @Test
    void aStartThrowingAVirtualMachineErrorIsNotCaught() {
      SupervisorRef sup = start();
      Pid supPid = sup.pid();

      assertThatThrownBy(
              () ->
                  sup.startChild(
                      ChildSpec.worker(
                          "vm",
                          () -> {
                            throw new StackOverflowError("simulated");
                          })))
          .isInstanceOf(CallException.class);

      assertThat(Exits.awaitExit(supPid))
          .isInstanceOfSatisfying(
              ExitReason.Crashed.class,
              c -> assertThat(c.error()).isInstanceOf(StackOverflowError.class));
    }

    @Test
    void aStartReturningNullGivesStartFailed() {
      SupervisorRef sup = start();

      assertThatThrownBy(() -> sup.startChild(ChildSpec.worker("null", () -> null)))
          .isInstanceOf(ChildException.StartFailed.class)
          .hasCauseInstanceOf(IllegalStateException.class);
      assertThat(sup.whichChildren()).isEmpty();
    }

    @Test
    void anUnlinkedProcessReturnedByTheStartFunctionIsLinkedAndSupervised() {
      SupervisorRef sup = start();
      Pid child =
          sup.startChild(ChildSpec.worker("plain", () -> node.spawn(self -> self.receive())));
      assertThat(node.links(child)).containsExactly(sup.pid());

      node.kill(child);
      events.awaitExit(child);

      assertThat(Trees.pidOf(sup, "plain")).isNotNull().isNotSameAs(child);
    }
  }

  @Nested
  final class TerminateChild {

    @Test
    void stopsTheChildAndKeepsItsSpec() {
      SupervisorRef sup = start(Worker.spec("a", log), Worker.spec("b", log));
      Pid a = Trees.pidOf(sup, "a");
      Pid b = Trees.pidOf(sup, "b");

      sup.terminateChild("a");

      assertThat(a.exitReason()).contains(ExitReason.shutdown());
      ChildInfo info = Trees.info(sup, "a");
      assertThat(info.state()).isEqualTo(ChildState.STOPPED);
      assertThat(info.pid()).isNull();
      assertThat(Trees.pidOf(sup, "b")).as("rest-for-one sibling untouched").isSameAs(b);
    }

    @Test
    void deletesATemporaryChild() {
      SupervisorRef sup = start(Worker.spec("t", log).withRestart(Restart.TEMPORARY));

      sup.terminateChild("t");

      assertThat(sup.whichChildren()).isEmpty();
    }

    @Test
    void anUnknownIdGivesNotFound() {
      SupervisorRef sup = start();

      assertThatThrownBy(() -> sup.terminateChild("ghost"))
          .isInstanceOf(ChildException.NotFound.class)
          .hasMessageContaining("'ghost'");
    }

    @Test
    void terminatingAStoppedChildAgainIsFine() {
      SupervisorRef sup = start(Worker.spec("a", log));
      sup.terminateChild("a");

      sup.terminateChild("a");

      assertThat(Trees.info(sup, "a").state()).isEqualTo(ChildState.STOPPED);
    }

    @Test
    void aPidIsNotFoundInAStaticSupervisor() {
      SupervisorRef sup = start(Worker.spec("a", log));
      Pid a = Trees.pidOf(sup, "a");

      // A static supervisor's handle has no terminateChild(Pid); a dynamic one's, given it, is
      // refused.
      assertThatThrownBy(() -> DynamicSupervisorRef.of(sup).terminateChild(a))
          .isInstanceOf(ChildException.NotFound.class);
      assertThat(a.isAlive()).isTrue();
    }
  }

  @Nested
  final class RestartChild {

    @Test
    void startsAStoppedChildAgainWithANewPid() {
      SupervisorRef sup = start(Worker.spec("a", log));
      Pid a = Trees.pidOf(sup, "a");
      sup.terminateChild("a");

      Pid again = sup.restartChild("a");

      assertThat(again).isNotSameAs(a);
      assertThat(again.isAlive()).isTrue();
      assertThat(Trees.info(sup, "a").state()).isEqualTo(ChildState.RUNNING);
      assertThat(Trees.pidOf(sup, "a")).isSameAs(again);
    }

    @Test
    void aRunningChildGivesRunning() {
      SupervisorRef sup = start(Worker.spec("a", log));

      assertThatThrownBy(() -> sup.restartChild("a")).isInstanceOf(ChildException.Running.class);
    }

    @Test
    void anUnknownIdGivesNotFound() {
      SupervisorRef sup = start();

      assertThatThrownBy(() -> sup.restartChild("ghost"))
          .isInstanceOf(ChildException.NotFound.class);
    }

    @Test
    void aFailingStartGivesStartFailedAndKeepsTheSpec() {
      RuntimeException boom = new IllegalStateException("not again");
      AtomicBoolean fail = new AtomicBoolean();
      ChildStart start =
          () -> {
            if (fail.get()) {
              throw boom;
            }
            return Worker.start("a", log, false).start();
          };
      SupervisorRef sup = start(ChildSpec.worker("a", start));
      sup.terminateChild("a");
      fail.set(true);

      assertThatThrownBy(() -> sup.restartChild("a"))
          .isInstanceOf(ChildException.StartFailed.class)
          .hasCause(boom);

      ChildInfo info = Trees.info(sup, "a");
      assertThat(info.state()).isEqualTo(ChildState.STOPPED);
      assertThat(info.pid()).isNull();
    }

    /* Mirrors Erlang's supervisor.erl (restart_child runs the start under `catch`, as above). */
    @Test
    void aStartThrowingAnErrorGivesStartFailedAndKeepsTheSpec() {
      ExceptionInInitializerError boom = new ExceptionInInitializerError("static init failed");
      AtomicBoolean fail = new AtomicBoolean();
      ChildStart start =
          () -> {
            if (fail.get()) {
              throw boom;
            }
            return Worker.start("a", log, false).start();
          };
      SupervisorRef sup = start(ChildSpec.worker("a", start), Worker.spec("b", log));
      Pid b = Trees.pidOf(sup, "b");
      sup.terminateChild("a");
      fail.set(true);

      assertThatThrownBy(() -> sup.restartChild("a"))
          .isInstanceOf(ChildException.StartFailed.class)
          .hasCause(boom);

      assertThat(Trees.info(sup, "a").state()).isEqualTo(ChildState.STOPPED);
      assertThat(Trees.pidOf(sup, "b")).isSameAs(b);
      fail.set(false);
      assertThat(sup.restartChild("a").isAlive()).isTrue();
    }
  }

  @Nested
  final class DeleteChild {

    @Test
    void removesAStoppedChild() {
      SupervisorRef sup = start(Worker.spec("a", log), Worker.spec("b", log));
      sup.terminateChild("a");

      sup.deleteChild("a");

      assertThat(Trees.ids(sup)).containsExactly("b");
      assertThat(sup.startChild(Worker.spec("a", log)).isAlive()).isTrue();
      assertThat(Trees.ids(sup)).containsExactly("b", "a");
    }

    @Test
    void aRunningChildGivesRunning() {
      SupervisorRef sup = start(Worker.spec("a", log));

      assertThatThrownBy(() -> sup.deleteChild("a")).isInstanceOf(ChildException.Running.class);
      assertThat(Trees.ids(sup)).containsExactly("a");
    }

    @Test
    void anUnknownIdGivesNotFound() {
      SupervisorRef sup = start();

      assertThatThrownBy(() -> sup.deleteChild("ghost"))
          .isInstanceOf(ChildException.NotFound.class);
    }
  }

  @Nested
  final class Introspection {

    @Test
    void whichChildrenDescribesEveryChildInStartOrder() {
      SupervisorRef sup =
          start(
              Worker.spec("a", log),
              Worker.spec("b", log)
                  .withRestart(Restart.TRANSIENT)
                  .withShutdown(Shutdown.brutalKill()),
              ChildSpec.supervisor("inner", SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)));
      sup.terminateChild("b");

      List<ChildInfo> children = sup.whichChildren();

      assertThat(children).extracting(ChildInfo::id).containsExactly("a", "b", "inner");
      assertThat(children.get(0).type()).isEqualTo(ChildType.WORKER);
      assertThat(children.get(0).restart()).isEqualTo(Restart.PERMANENT);
      assertThat(children.get(0).shutdown()).isEqualTo(ChildSpec.DEFAULT_WORKER_SHUTDOWN);
      assertThat(children.get(0).runningPid()).isPresent();
      assertThat(children.get(1).restart()).isEqualTo(Restart.TRANSIENT);
      assertThat(children.get(1).shutdown()).isEqualTo(Shutdown.brutalKill());
      assertThat(children.get(1).runningPid()).isEmpty();
      assertThat(children.get(2).type()).isEqualTo(ChildType.SUPERVISOR);
      assertThat(children.get(2).shutdown()).isEqualTo(Shutdown.infinity());
    }

    @Test
    void countChildrenCountsSpecsActiveChildrenSupervisorsAndWorkers() {
      SupervisorRef sup =
          start(
              Worker.spec("a", log),
              Worker.spec("b", log),
              ChildSpec.supervisor("inner", SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)));
      sup.terminateChild("b");
      sup.terminateChild("inner");

      assertThat(sup.countChildren()).isEqualTo(new ChildCounts(3, 1, 1, 2));
    }

    @Test
    void inspectGivesASnapshotWithTheRestartCount() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("snap", Strategy.ONE_FOR_ALL)
                  .withIntensity(7, Duration.ofSeconds(9))
                  .withChildren(Worker.spec("a", log), Worker.spec("b", log)));
      Pid a = Trees.pidOf(sup, "a");
      Worker.end(a, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(a);

      SupervisorSnapshot snapshot = sup.inspect(GenServer.DEFAULT_TIMEOUT);

      assertThat(snapshot.name()).isEqualTo("snap");
      assertThat(snapshot.pid()).isSameAs(sup.pid());
      assertThat(snapshot.strategy()).isEqualTo(Strategy.ONE_FOR_ALL);
      assertThat(snapshot.dynamic()).isFalse();
      assertThat(snapshot.maxRestarts()).isEqualTo(7);
      assertThat(snapshot.within()).isEqualTo(Duration.ofSeconds(9));
      assertThat(snapshot.restarts()).isEqualTo(2);
      assertThat(snapshot.children()).extracting(ChildInfo::restarts).containsExactly(1, 1);
      assertThat(snapshot.children().get(0).lastFailure()).isNotNull();
      assertThat(snapshot.children().get(0).lastFailure().reason())
          .isInstanceOf(ExitReason.Crashed.class);
      assertThat(snapshot.children().get(1).lastFailure()).isNull();
    }

    @Test
    void callsToAStoppedSupervisorFailWithNoProc() {
      SupervisorRef sup = start();
      sup.stop();

      assertThatThrownBy(() -> sup.whichChildren()).isInstanceOf(CallException.NoProc.class);
      assertThatThrownBy(() -> sup.startChild(Worker.spec("a", log)))
          .isInstanceOf(CallException.NoProc.class);
    }
  }

  @Nested
  final class Directory {

    @Test
    void listsLiveSupervisorsAndRootsAndForgetsThemWhenTheyExit() {
      SupervisorDirectory directory = SupervisorDirectory.of(node);
      SupervisorRef root =
          Supervisor.start(
              node,
              SupervisorSpec.of("root", Strategy.ONE_FOR_ONE)
                  .withChildren(
                      ChildSpec.supervisor(
                          "inner", SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)),
                      ChildSpec.supervisor("dyn", DynamicSupervisorSpec.of("dyn"))));
      DynamicSupervisorRef other = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("other"));
      Pid inner = Trees.pidOf(root, "inner");
      Pid dyn = Trees.pidOf(root, "dyn");

      assertThat(directory.supervisors())
          .extracting(SupervisorDirectory.Entry::pid)
          .containsExactly(root.pid(), inner, dyn, other.pid());
      assertThat(directory.roots())
          .extracting(SupervisorDirectory.Entry::pid)
          .containsExactly(root.pid(), other.pid());
      SupervisorDirectory.Entry innerEntry = directory.find("inner");
      assertThat(innerEntry).isNotNull();
      assertThat(innerEntry.parent()).isSameAs(root.pid());
      assertThat(innerEntry.dynamic()).isFalse();
      assertThat(directory.find("dyn").dynamic()).isTrue();

      root.terminateChild("inner");
      assertThat(directory.find("inner")).isNull();

      root.stop();
      assertThat(directory.supervisors())
          .extracting(SupervisorDirectory.Entry::pid)
          .containsExactly(other.pid());

      node.kill(other.pid());
      Exits.awaitExit(other.pid());
      assertThat(directory.supervisors()).isEmpty();
    }

    @Test
    void aRestartedChildSupervisorIsListedUnderItsNewPid() {
      SupervisorDirectory directory = SupervisorDirectory.of(node);
      SupervisorRef root =
          Supervisor.start(
              node,
              SupervisorSpec.of("root", Strategy.ONE_FOR_ONE)
                  .withChildren(
                      ChildSpec.supervisor(
                          "inner", SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE))));
      Pid inner = Trees.pidOf(root, "inner");

      node.kill(inner);
      events.awaitExit(inner);

      Pid again = Trees.pidOf(root, "inner");
      assertThat(again).isNotSameAs(inner);
      assertThat(directory.find("inner").pid()).isSameAs(again);
      assertThat(directory.supervisors()).hasSize(2);
    }
  }

  @Nested
  final class Events {

    @Test
    void aStartPublishesEveryChildStartedThenSupervisorStarted() {
      SupervisorRef sup = start(Worker.spec("a", log), Worker.spec("b", log));

      assertThat(events.events())
          .map(SupervisorApiTest::describe)
          .containsExactly(
              "ChildStarted s a", "ChildStarted s b", "SupervisorStarted s REST_FOR_ONE");
      assertThat(sup.pid().isAlive()).isTrue();
    }

    @Test
    void aCrashAndRestartPublishChildExitedThenChildRestartedInOrder() {
      SupervisorRef sup = start(Worker.spec("a", log));
      Pid a = Trees.pidOf(sup, "a");
      int before = events.events().size();

      Worker.end(a, ExitReason.crashed(new IllegalStateException("x")));
      events.awaitExit(a);
      Pid again = Trees.pidOf(sup, "a");

      List<SupervisionEvent> tail = events.events().subList(before, events.events().size());
      assertThat(tail).hasSize(2);
      assertThat(tail.get(0))
          .isInstanceOfSatisfying(
              SupervisionEvent.ChildExited.class,
              e -> {
                assertThat(e.supervisor()).isEqualTo("s");
                assertThat(e.child()).isEqualTo("a");
                assertThat(e.pid()).isSameAs(a);
                assertThat(e.reason()).isInstanceOf(ExitReason.Crashed.class);
              });
      assertThat(tail.get(1))
          .isInstanceOfSatisfying(
              SupervisionEvent.ChildRestarted.class,
              e -> {
                assertThat(e.child()).isEqualTo("a");
                assertThat(e.pid()).isSameAs(again);
                assertThat(e.restarts()).isEqualTo(1);
              });
      assertThat(tail.get(0).at()).isBeforeOrEqualTo(tail.get(1).at());
    }

    @Test
    void stoppingPublishesChildExitedInReverseOrderThenSupervisorStopped() {
      SupervisorRef sup = start(Worker.spec("a", log), Worker.spec("b", log));
      int before = events.events().size();

      sup.stop();

      assertThat(events.events().subList(before, events.events().size()))
          .map(SupervisorApiTest::describe)
          .containsExactly(
              "ChildExited s b shutdown",
              "ChildExited s a shutdown",
              "SupervisorStopped s shutdown");
    }

    @Test
    void aThrowingListenerDoesNotDisturbTheSupervisor() {
      EventBus.of(node)
          .subscribe(
              e -> {
                throw new IllegalStateException("listener bug");
              });
      SupervisorRef sup = start(Worker.spec("a", log));
      Pid a = Trees.pidOf(sup, "a");

      Worker.end(a, ExitReason.killed());
      events.awaitExit(a);

      assertThat(Trees.pidOf(sup, "a")).isNotNull().isNotSameAs(a);
    }
  }

  @Nested
  final class ExitEvents {

    @Test
    void sayThatAStaticSupervisorRemovesOnlyTemporaryChildren() {
      SupervisorRef sup =
          start(
              Worker.spec("permanent", log),
              Worker.spec("temporary", log).withRestart(Restart.TEMPORARY));
      Pid permanent = Trees.pidOf(sup, "permanent");
      Pid temporary = Trees.pidOf(sup, "temporary");

      sup.terminateChild("permanent");
      Worker.end(temporary, ExitReason.crashed(new IllegalStateException()));

      assertThat(events.awaitExit(permanent).removed()).isFalse();
      assertThat(events.awaitExit(temporary).removed()).isTrue();
    }
  }

  static String describe(SupervisionEvent event) {
    return switch (event) {
      case SupervisionEvent.SupervisorStarted e ->
          "SupervisorStarted " + e.supervisor() + " " + e.strategy();
      case SupervisionEvent.SupervisorStopped e ->
          "SupervisorStopped " + e.supervisor() + " " + Worker.name(e.reason());
      case SupervisionEvent.ChildStarted e -> "ChildStarted " + e.supervisor() + " " + e.child();
      case SupervisionEvent.ChildExited e ->
          "ChildExited " + e.supervisor() + " " + e.child() + " " + Worker.name(e.reason());
      case SupervisionEvent.ChildRestarted e ->
          "ChildRestarted " + e.supervisor() + " " + e.child();
      case SupervisionEvent.ChildStartFailed e ->
          "ChildStartFailed " + e.supervisor() + " " + e.child();
      case SupervisionEvent.ChildBackingOff e ->
          "ChildBackingOff " + e.supervisor() + " " + e.child() + " " + e.delay();
      case SupervisionEvent.ChildIgnored e -> "ChildIgnored " + e.supervisor() + " " + e.child();
      case SupervisionEvent.IntensityExceeded e ->
          "IntensityExceeded " + e.supervisor() + " " + e.child();
      case SupervisionEvent.EntryRegistered e -> "EntryRegistered " + e.key();
      case SupervisionEvent.EntryRemoved e -> "EntryRemoved " + e.key();
    };
  }
}

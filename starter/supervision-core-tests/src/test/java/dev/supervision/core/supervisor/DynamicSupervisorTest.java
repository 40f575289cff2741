package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class DynamicSupervisorTest {
  private static final Duration WINDOW = Duration.ofSeconds(5);

  private final ManualTicker ticker = new ManualTicker();
  private final Node node = Node.create("dynamic", ticker);
  private final EventRecorder events = EventRecorder.on(node);
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private DynamicSupervisorRef start(DynamicSupervisorSpec spec) {
    return DynamicSupervisor.start(node, spec);
  }

  private DynamicSupervisorRef start() {
    return start(DynamicSupervisorSpec.of("d"));
  }

  @Nested
  final class ExitEvents {

    @Test
    void sayWhetherTheChildWasRemovedOrWillBeRestarted() {
      DynamicSupervisorRef sup = start(DynamicSupervisorSpec.of("d").withIntensity(10, WINDOW));
      Pid permanent = sup.startChild(Worker.spec("permanent", log));
      Pid transientChild =
          sup.startChild(Worker.spec("transient", log).withRestart(Restart.TRANSIENT));
      Pid terminated = sup.startChild(Worker.spec("terminated", log));

      Worker.end(permanent, ExitReason.crashed(new IllegalStateException()));
      Worker.end(transientChild, ExitReason.normal());
      sup.terminateChild(terminated);

      assertThat(events.awaitExit(permanent).removed()).isFalse();
      assertThat(events.awaitExit(transientChild).removed()).isTrue();
      assertThat(events.awaitExit(terminated).removed()).isTrue();
    }
  }

  @Nested
  final class Names {

    @Test
    void eachChildShowsTheNameItRegisteredUnderKeptAcrossARestartThatFailedFirst() {
      Registry<String, @Nullable Object> rooms = Registry.unique(node, "room-names");
      AtomicInteger starts = new AtomicInteger();
      DynamicSupervisorRef sup = start(DynamicSupervisorSpec.of("d").withIntensity(10, WINDOW));
      ChildStart lobby =
          () -> {
            if (starts.incrementAndGet() == 2) {
              throw new IllegalStateException("second start fails");
            }
            return GenServer.startLink(
                    SupervisorReportTest.Fragile::new, StartOptions.named(rooms.via("lobby")))
                .pid();
          };
      Pid first = sup.startChild(ChildSpec.worker("room", lobby));
      sup.startChild(Worker.spec("room", log));

      assertThat(sup.whichChildren())
          .extracting(ChildInfo::id, ChildInfo::name)
          .containsExactly(tuple("room", rooms.via("lobby")), tuple("room", null));

      ServerRef.<SupervisorReportTest.Fragile.Message>of(first)
          .cast(new SupervisorReportTest.Fragile.Crash("crash"));
      events.await(SupervisionEvent.ChildStartFailed.class, e -> true);

      ChildInfo restarting = sup.whichChildren().getFirst(); // or restarted
      assertThat(restarting.name()).isEqualTo(rooms.via("lobby"));
      await().atMost(Nodes.TIMEOUT).until(() -> sup.whichChildren().getFirst().pid() != null);
      assertThat(sup.whichChildren().getFirst().name()).isEqualTo(rooms.via("lobby"));
    }
  }

  @Nested
  final class StartChild {

    @Test
    void startsChildrenLinkedToTheSupervisorInStartOrder() {
      DynamicSupervisorRef sup = start();

      Pid a = sup.startChild(Worker.spec("w", log));
      Pid b = sup.startChild(Worker.spec("w", log));

      assertThat(a).isNotSameAs(b);
      assertThat(node.links(a)).containsExactly(sup.pid());
      assertThat(sup.whichChildren()).extracting(ChildInfo::pid).containsExactly(a, b);
      assertThat(sup.countChildren()).isEqualTo(new ChildCounts(2, 2, 0, 2));
    }

    /*
     * Mirrors Erlang's supervisor_SUITE do_not_save_start_parameters_for_temporary_children
     * (simple_one_for_one) and Elixir's DynamicSupervisor, which saves a temporary child as
     * {{m, f, :undefined}, ...}: nothing of what it was started with is kept.
     */
    @Test
    void aRunningTemporaryChildsStartFunctionIsNotKept() {
      DynamicSupervisorRef sup = start();

      Captured.Started started = Captured.startTemporary(spec -> sup.startChild(spec), "t", log);
      Pid t = started.pid();

      Captured.awaitCollected(started.captured());
      assertThat(t.isAlive()).isTrue();
      assertThat(sup.whichChildren()).extracting(ChildInfo::pid).containsExactly(t);
      sup.terminateChild(t);
      assertThat(sup.whichChildren()).isEmpty();
    }

    @Test
    void idsNeedNotBeUnique() {
      DynamicSupervisorRef sup = start();
      sup.startChild(Worker.spec("same", log));

      assertThat(sup.startChild(Worker.spec("same", log)).isAlive()).isTrue();
    }

    @Test
    void aFailingStartGivesStartFailedAndNothingIsKept() {
      DynamicSupervisorRef sup = start();
      IllegalStateException boom = new IllegalStateException("boom");

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
      assertThat(sup.whichChildren()).isEmpty();
    }

    /*
     * Mirrors Elixir's DynamicSupervisor test "start_child/2 with throw/error/exit": a start
     * function that raises gives {:error, {exception, stacktrace}} and the supervisor goes on.
     */
    @Test
    void aStartThrowingAnErrorGivesStartFailedAndTheSupervisorAndItsChildrenStayUp() {
      DynamicSupervisorRef sup = start();
      Pid a = sup.startChild(Worker.spec("w", log));
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
      assertThat(sup.whichChildren()).extracting(ChildInfo::pid).containsExactly(a);
    }

    @Test
    void aStartFindingItsNameTakenGivesAlreadyStartedWithTheHolder() {
      SingleName name = new SingleName();
      DynamicSupervisorRef sup = start();
      Pid holder = sup.startChild(ChildSpec.worker("named", name.start()));

      assertThatThrownBy(() -> sup.startChild(ChildSpec.worker("named", name.start())))
          .isInstanceOfSatisfying(
              ChildException.AlreadyStarted.class, e -> assertThat(e.pid()).isSameAs(holder));
      assertThat(sup.whichChildren()).extracting(ChildInfo::pid).containsExactly(holder);
    }

    @Test
    void aFullSupervisorGivesMaxChildren() {
      DynamicSupervisorRef sup = start(DynamicSupervisorSpec.of("d").withMaxChildren(2));
      Pid a = sup.startChild(Worker.spec("w", log));
      sup.startChild(Worker.spec("w", log));

      assertThatThrownBy(() -> sup.startChild(Worker.spec("w", log)))
          .isInstanceOf(ChildException.MaxChildren.class)
          .hasMessageContaining("maximum of 2");

      sup.terminateChild(a);
      assertThat(sup.startChild(Worker.spec("w", log)).isAlive()).isTrue();
    }

    @Test
    void childrenWhoseRestartIsBeingRetriedCountTowardMaxChildren() {
      AtomicBoolean failing = new AtomicBoolean();
      ChildStart flaky =
          () -> {
            if (failing.get()) {
              throw new IllegalStateException("not now");
            }
            return Worker.start("w", log, false).start();
          };
      DynamicSupervisorRef sup =
          start(
              DynamicSupervisorSpec.of("d")
                  .withMaxChildren(1)
                  .withIntensity(Integer.MAX_VALUE, WINDOW));
      Pid a = sup.startChild(ChildSpec.worker("w", flaky));
      failing.set(true);

      Worker.end(a, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(a);

      assertThatThrownBy(() -> sup.startChild(Worker.spec("w", log)))
          .isInstanceOf(ChildException.MaxChildren.class);
      ChildCounts counts = sup.countChildren();
      assertThat(counts.specs()).isEqualTo(1);
      assertThat(counts.active()).isZero();

      failing.set(false);
      await().atMost(Nodes.TIMEOUT).until(() -> sup.countChildren().active() == 1);
    }
  }

  @Nested
  final class TerminateChild {

    @Test
    void stopsTheChildByPidAndForgetsIt() {
      DynamicSupervisorRef sup = start();
      Pid a = sup.startChild(Worker.spec("w", log));
      Pid b = sup.startChild(Worker.spec("w", log));

      sup.terminateChild(a);

      assertThat(a.exitReason()).contains(ExitReason.shutdown());
      assertThat(sup.whichChildren()).extracting(ChildInfo::pid).containsExactly(b);
    }

    @Test
    void aPidThatIsNotAChildGivesNotFound() {
      DynamicSupervisorRef sup = start();
      Pid a = sup.startChild(Worker.spec("w", log));
      sup.terminateChild(a);
      Pid stranger = GenServer.start(node, Idle::new).pid();

      assertThatThrownBy(() -> sup.terminateChild(a)).isInstanceOf(ChildException.NotFound.class);
      assertThatThrownBy(() -> sup.terminateChild(stranger))
          .isInstanceOf(ChildException.NotFound.class);
      assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void idOperationsAreNotFound() {
      DynamicSupervisorRef sup = start();
      sup.startChild(Worker.spec("w", log));
      // A dynamic supervisor's handle has no id operations; a static one's, given it, is refused.
      SupervisorRef asStatic = SupervisorRef.of(sup.pid());

      assertThatThrownBy(() -> asStatic.terminateChild("w"))
          .isInstanceOf(ChildException.NotFound.class);
      assertThatThrownBy(() -> asStatic.restartChild("w"))
          .isInstanceOf(ChildException.NotFound.class);
      assertThatThrownBy(() -> asStatic.deleteChild("w"))
          .isInstanceOf(ChildException.NotFound.class);
      assertThat(sup.countChildren().active()).isEqualTo(1);
    }

    @Test
    void terminatingAChildWhoseRestartIsBeingRetriedByItsLastPidEndsTheRetries() {
      AtomicBoolean failing = new AtomicBoolean();
      AtomicInteger attempts = new AtomicInteger();
      ChildStart flaky =
          () -> {
            attempts.incrementAndGet();
            if (failing.get()) {
              throw new IllegalStateException("not now");
            }
            return Worker.start("w", log, false).start();
          };
      DynamicSupervisorRef sup =
          start(DynamicSupervisorSpec.of("d").withIntensity(Integer.MAX_VALUE, WINDOW));
      Pid a = sup.startChild(ChildSpec.worker("w", flaky));
      failing.set(true);
      Worker.end(a, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(a);
      assertThat(sup.whichChildren())
          .singleElement()
          .extracting(ChildInfo::state)
          .isEqualTo(ChildState.RESTARTING);

      sup.terminateChild(a);

      sup.countChildren(); // any retry queued before the terminate has been seen
      int afterTerminate = attempts.get();
      assertThat(sup.countChildren()).isEqualTo(new ChildCounts(0, 0, 0, 0));
      assertThat(attempts.get()).isEqualTo(afterTerminate);
      assertThatThrownBy(() -> sup.terminateChild(a)).isInstanceOf(ChildException.NotFound.class);
    }
  }

  @Nested
  final class Restarts {

    @Test
    void restartsOnlyTheCrashedChild() {
      DynamicSupervisorRef sup = start();
      Pid a = sup.startChild(Worker.spec("a", log));
      Pid b = sup.startChild(Worker.spec("b", log));
      Pid c = sup.startChild(Worker.spec("c", log));

      Worker.end(b, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(b);

      List<ChildInfo> children = sup.whichChildren();
      assertThat(children).extracting(ChildInfo::id).containsExactly("a", "b", "c");
      assertThat(children.get(0).pid()).isSameAs(a);
      assertThat(children.get(1).pid()).isNotNull().isNotSameAs(b);
      assertThat(children.get(1).restarts()).isEqualTo(1);
      assertThat(children.get(2).pid()).isSameAs(c);
      assertThat(log).containsExactly("start a", "start b", "start c", "start b");
    }

    @Test
    void temporaryChildrenAreRemovedWhenTheyExit() {
      DynamicSupervisorRef sup = start();
      Pid t = sup.startChild(Worker.spec("t", log).withRestart(Restart.TEMPORARY));

      Worker.end(t, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(t);

      assertThat(sup.whichChildren()).isEmpty();
    }

    @Test
    void transientChildrenExitingCleanlyAreRemovedAndRestartedOtherwise() {
      DynamicSupervisorRef sup = start();
      Pid clean = sup.startChild(Worker.spec("clean", log).withRestart(Restart.TRANSIENT));
      Pid dirty = sup.startChild(Worker.spec("dirty", log).withRestart(Restart.TRANSIENT));

      Worker.end(clean, ExitReason.normal());
      Worker.end(dirty, ExitReason.killed());
      events.awaitExit(clean);
      events.awaitExit(dirty);

      List<ChildInfo> children = sup.whichChildren();
      assertThat(children).extracting(ChildInfo::id).containsExactly("dirty");
      assertThat(children.get(0).pid()).isNotNull().isNotSameAs(dirty);
    }

    /*
     * Mirrors Elixir's DynamicSupervisor (a restart whose start fails, however, marks the child
     * :restarting and retries it) with a start function that throws an Error.
     */
    @Test
    void aRestartThrowingAnErrorMarksTheChildRestartingAndIsRetried() {
      AtomicBoolean failing = new AtomicBoolean();
      AtomicInteger attempts = new AtomicInteger();
      ChildStart flaky =
          () -> {
            if (failing.get()) {
              attempts.incrementAndGet();
              throw new ExceptionInInitializerError("static init failed");
            }
            return Worker.start("w", log, false).start();
          };
      DynamicSupervisorRef sup =
          start(DynamicSupervisorSpec.of("d").withIntensity(Integer.MAX_VALUE, WINDOW));
      Pid a = sup.startChild(ChildSpec.worker("w", flaky));
      failing.set(true);

      Worker.end(a, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(a);
      await().atMost(Nodes.TIMEOUT).until(() -> attempts.get() > 2);
      failing.set(false);

      await()
          .atMost(Nodes.TIMEOUT)
          .until(() -> sup.whichChildren().stream().allMatch(c -> c.state() == ChildState.RUNNING));
      assertThat(sup.pid().isAlive()).isTrue();
      assertThat(sup.whichChildren()).singleElement().extracting(ChildInfo::pid).isNotSameAs(a);
    }

    @Test
    void aRestartedChildCanBeTerminatedByItsNewPid() {
      DynamicSupervisorRef sup = start();
      Pid a = sup.startChild(Worker.spec("a", log));
      Worker.end(a, ExitReason.killed());
      events.awaitExit(a);
      Pid again = sup.whichChildren().get(0).pid();

      assertThatThrownBy(() -> sup.terminateChild(a)).isInstanceOf(ChildException.NotFound.class);
      sup.terminateChild(again);

      assertThat(sup.whichChildren()).isEmpty();
    }
  }

  @Nested
  final class RestartIntensity {

    @Test
    void moreRestartsThanAllowedWithinTheWindowStopTheSupervisorWithShutdown() {
      DynamicSupervisorRef sup = start(DynamicSupervisorSpec.of("d").withIntensity(2, WINDOW));
      Pid bystander = sup.startChild(Worker.spec("b", log));
      Pid a = sup.startChild(Worker.spec("a", log));
      for (int i = 0; i < 2; i++) {
        Worker.end(a, ExitReason.crashed(new RuntimeException()));
        events.awaitExit(a);
        a = sup.whichChildren().get(1).pid();
      }
      assertThat(sup.pid().isAlive()).isTrue();

      Worker.end(a, ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
      assertThat(bystander.exitReason()).contains(ExitReason.shutdown());
      assertThat(events.await(SupervisionEvent.IntensityExceeded.class, e -> true).child())
          .isEqualTo("a");
    }

    @Test
    void crashesFurtherApartThanTheWindowNeverGiveUp() {
      DynamicSupervisorRef sup = start(DynamicSupervisorSpec.of("d").withIntensity(1, WINDOW));
      Pid a = sup.startChild(Worker.spec("a", log));

      for (int i = 0; i < 10; i++) {
        ticker.advance(WINDOW.plusMillis(1));
        Worker.end(a, ExitReason.crashed(new RuntimeException()));
        events.awaitExit(a);
        a = sup.whichChildren().get(0).pid();
        assertThat(a).isNotNull();
      }

      assertThat(sup.pid().isAlive()).isTrue();
    }

    @Test
    void aRestartThatKeepsFailingEscalates() {
      AtomicBoolean failing = new AtomicBoolean();
      ChildStart flaky =
          () -> {
            if (failing.get()) {
              throw new IllegalStateException("not now");
            }
            return Worker.start("w", log, false).start();
          };
      DynamicSupervisorRef sup = start(DynamicSupervisorSpec.of("d").withIntensity(3, WINDOW));
      Pid a = sup.startChild(ChildSpec.worker("w", flaky));
      failing.set(true);

      Worker.end(a, ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
      assertThat(events.events(SupervisionEvent.ChildStartFailed.class)).hasSize(3);
    }
  }

  @Nested
  final class Stopping {

    @Test
    void stopsAllChildrenConcurrentlySoTheTotalIsAboutTheLongestNotTheSum() {
      DynamicSupervisorRef sup = start();
      List<Blocking> servers = new ArrayList<>();
      Duration work = Duration.ofMillis(200);
      for (int i = 0; i < 10; i++) {
        Blocking server = Blocking.working(work);
        servers.add(server);
        sup.startChild(ChildSpec.worker("slow", server.start()));
      }
      long begin = System.nanoTime();

      sup.stop();

      Duration took = Duration.ofNanos(System.nanoTime() - begin);
      assertThat(took).as("sequential would take 10 x %s", work).isLessThan(Duration.ofSeconds(2));
      assertThat(took).isGreaterThanOrEqualTo(work);
      assertThat(servers)
          .allSatisfy(
              s -> {
                assertThat(s.terminateEntered).isCompletedWithValue(ExitReason.shutdown());
                assertThat(s.terminateOutcome).isCompletedWithValue("finished");
              });
    }

    @Test
    void childrenThatIgnoreTheShutdownAreKilledWhenTheirTimeoutExpires() throws Exception {
      DynamicSupervisorRef sup = start();
      Blocking stubborn = Blocking.untilReleased();
      Pid s =
          sup.startChild(
              ChildSpec.worker("stubborn", stubborn.start())
                  .withShutdown(Shutdown.timeout(Duration.ofMillis(100))));
      Pid plain = sup.startChild(Worker.spec("plain", log));
      Pid brutal =
          sup.startChild(Worker.trapping("brutal", log).withShutdown(Shutdown.brutalKill()));

      sup.stop();

      assertThat(s.exitReason()).contains(ExitReason.killed());
      assertThat(stubborn.terminateOutcome.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted");
      assertThat(plain.exitReason()).contains(ExitReason.shutdown());
      assertThat(brutal.exitReason()).contains(ExitReason.killed());
      assertThat(log).doesNotContain("terminate brutal killed", "terminate brutal shutdown");
    }

    @Test
    void publishesChildExitedForEveryChildAndSupervisorStopped() {
      DynamicSupervisorRef sup = start();
      Pid a = sup.startChild(Worker.spec("a", log));
      Pid b = sup.startChild(Worker.spec("b", log));

      sup.stop();

      assertThat(events.events(SupervisionEvent.ChildExited.class))
          .extracting(SupervisionEvent.ChildExited::pid)
          .containsExactlyInAnyOrder(a, b);
      assertThat(
              events
                  .await(SupervisionEvent.SupervisorStopped.class, e -> e.pid() == sup.pid())
                  .reason())
          .isEqualTo(ExitReason.shutdown());
    }
  }

  @Test
  void inspectDescribesADynamicSupervisor() {
    DynamicSupervisorRef sup = start(DynamicSupervisorSpec.of("dyn").withIntensity(4, WINDOW));
    sup.startChild(Worker.spec("w", log));

    SupervisorSnapshot snapshot = sup.inspect(GenServer.DEFAULT_TIMEOUT);

    assertThat(snapshot.dynamic()).isTrue();
    assertThat(snapshot.strategy()).isEqualTo(Strategy.ONE_FOR_ONE);
    assertThat(snapshot.maxRestarts()).isEqualTo(4);
    assertThat(snapshot.children()).hasSize(1);
  }
}

package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
    Exits.closeAndCheckNoProcessLeft(node);
  }

  private Pid start(DynamicSupervisorSpec spec) {
    return DynamicSupervisor.start(node, spec);
  }

  private Pid start() {
    return start(DynamicSupervisorSpec.of("d"));
  }

  @Nested
  final class StartChild {

    @Test
    void startsChildrenLinkedToTheSupervisorInStartOrder() {
      Pid sup = start();

      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("w", log));
      Pid b = DynamicSupervisor.startChild(sup, Worker.spec("w", log));

      assertThat(a).isNotSameAs(b);
      assertThat(node.links(a)).containsExactly(sup);
      assertThat(DynamicSupervisor.whichChildren(sup))
          .extracting(ChildInfo::pid)
          .containsExactly(a, b);
      assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(2, 2, 0, 2));
    }

    /*
     * Mirrors Erlang's supervisor_SUITE do_not_save_start_parameters_for_temporary_children
     * (simple_one_for_one) and Elixir's DynamicSupervisor, which saves a temporary child as
     * {{m, f, :undefined}, ...}: nothing of what it was started with is kept.
     */
    @Test
    void aRunningTemporaryChildsStartFunctionIsNotKept() {
      Pid sup = start();

      Captured.Started started =
          Captured.startTemporary(spec -> DynamicSupervisor.startChild(sup, spec), "t", log);
      Pid t = started.pid();

      Captured.awaitCollected(started.captured());
      assertThat(t.isAlive()).isTrue();
      assertThat(DynamicSupervisor.whichChildren(sup))
          .extracting(ChildInfo::pid)
          .containsExactly(t);
      DynamicSupervisor.terminateChild(sup, t);
      assertThat(DynamicSupervisor.whichChildren(sup)).isEmpty();
    }

    @Test
    void idsNeedNotBeUnique() {
      Pid sup = start();
      DynamicSupervisor.startChild(sup, Worker.spec("same", log));

      assertThat(DynamicSupervisor.startChild(sup, Worker.spec("same", log)).isAlive()).isTrue();
    }

    @Test
    void aFailingStartGivesStartFailedAndNothingIsKept() {
      Pid sup = start();
      IllegalStateException boom = new IllegalStateException("boom");

      assertThatThrownBy(
              () ->
                  DynamicSupervisor.startChild(
                      sup,
                      ChildSpec.worker(
                          "bad",
                          () -> {
                            throw boom;
                          })))
          .isInstanceOf(ChildException.StartFailed.class)
          .hasCause(boom);
      assertThat(DynamicSupervisor.whichChildren(sup)).isEmpty();
    }

    /*
     * Mirrors Elixir's DynamicSupervisor test "start_child/2 with throw/error/exit": a start
     * function that raises gives {:error, {exception, stacktrace}} and the supervisor goes on.
     */
    @Test
    void aStartThrowingAnErrorGivesStartFailedAndTheSupervisorAndItsChildrenStayUp() {
      Pid sup = start();
      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("w", log));
      AssertionError boom = new AssertionError("boom");

      assertThatThrownBy(
              () ->
                  DynamicSupervisor.startChild(
                      sup,
                      ChildSpec.worker(
                          "bad",
                          () -> {
                            throw boom;
                          })))
          .isInstanceOf(ChildException.StartFailed.class)
          .hasCause(boom);
      assertThat(sup.isAlive()).isTrue();
      assertThat(DynamicSupervisor.whichChildren(sup))
          .extracting(ChildInfo::pid)
          .containsExactly(a);
    }

    @Test
    void aStartFindingItsNameTakenGivesAlreadyStartedWithTheHolder() {
      SingleName name = new SingleName();
      Pid sup = start();
      Pid holder = DynamicSupervisor.startChild(sup, ChildSpec.worker("named", name.start()));

      assertThatThrownBy(
              () -> DynamicSupervisor.startChild(sup, ChildSpec.worker("named", name.start())))
          .isInstanceOfSatisfying(
              ChildException.AlreadyStarted.class, e -> assertThat(e.pid()).isSameAs(holder));
      assertThat(DynamicSupervisor.whichChildren(sup))
          .extracting(ChildInfo::pid)
          .containsExactly(holder);
    }

    @Test
    void aFullSupervisorGivesMaxChildren() {
      Pid sup = start(DynamicSupervisorSpec.of("d").withMaxChildren(2));
      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("w", log));
      DynamicSupervisor.startChild(sup, Worker.spec("w", log));

      assertThatThrownBy(() -> DynamicSupervisor.startChild(sup, Worker.spec("w", log)))
          .isInstanceOf(ChildException.MaxChildren.class)
          .hasMessageContaining("maximum of 2");

      DynamicSupervisor.terminateChild(sup, a);
      assertThat(DynamicSupervisor.startChild(sup, Worker.spec("w", log)).isAlive()).isTrue();
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
      Pid sup =
          start(
              DynamicSupervisorSpec.of("d")
                  .withMaxChildren(1)
                  .withIntensity(Integer.MAX_VALUE, WINDOW));
      Pid a = DynamicSupervisor.startChild(sup, ChildSpec.worker("w", flaky));
      failing.set(true);

      Worker.end(a, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(a);

      assertThatThrownBy(() -> DynamicSupervisor.startChild(sup, Worker.spec("w", log)))
          .isInstanceOf(ChildException.MaxChildren.class);
      ChildCounts counts = DynamicSupervisor.countChildren(sup);
      assertThat(counts.specs()).isEqualTo(1);
      assertThat(counts.active()).isZero();

      failing.set(false);
      await().atMost(Exits.TIMEOUT).until(() -> DynamicSupervisor.countChildren(sup).active() == 1);
    }
  }

  @Nested
  final class TerminateChild {

    @Test
    void stopsTheChildByPidAndForgetsIt() {
      Pid sup = start();
      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("w", log));
      Pid b = DynamicSupervisor.startChild(sup, Worker.spec("w", log));

      DynamicSupervisor.terminateChild(sup, a);

      assertThat(a.exitReason()).contains(ExitReason.shutdown());
      assertThat(DynamicSupervisor.whichChildren(sup))
          .extracting(ChildInfo::pid)
          .containsExactly(b);
    }

    @Test
    void aPidThatIsNotAChildGivesNotFound() {
      Pid sup = start();
      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("w", log));
      DynamicSupervisor.terminateChild(sup, a);
      Pid stranger = GenServer.start(node, () -> new Server() {});

      assertThatThrownBy(() -> DynamicSupervisor.terminateChild(sup, a))
          .isInstanceOf(ChildException.NotFound.class);
      assertThatThrownBy(() -> DynamicSupervisor.terminateChild(sup, stranger))
          .isInstanceOf(ChildException.NotFound.class);
      assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void idOperationsAreNotFound() {
      Pid sup = start();
      DynamicSupervisor.startChild(sup, Worker.spec("w", log));

      assertThatThrownBy(() -> Supervisor.terminateChild(sup, "w"))
          .isInstanceOf(ChildException.NotFound.class);
      assertThatThrownBy(() -> Supervisor.restartChild(sup, "w"))
          .isInstanceOf(ChildException.NotFound.class);
      assertThatThrownBy(() -> Supervisor.deleteChild(sup, "w"))
          .isInstanceOf(ChildException.NotFound.class);
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
      Pid sup = start(DynamicSupervisorSpec.of("d").withIntensity(Integer.MAX_VALUE, WINDOW));
      Pid a = DynamicSupervisor.startChild(sup, ChildSpec.worker("w", flaky));
      failing.set(true);
      Worker.end(a, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(a);
      assertThat(DynamicSupervisor.whichChildren(sup))
          .singleElement()
          .extracting(ChildInfo::state)
          .isEqualTo(ChildState.RESTARTING);

      DynamicSupervisor.terminateChild(sup, a);

      DynamicSupervisor.countChildren(sup); // any retry queued before the terminate has been seen
      int afterTerminate = attempts.get();
      assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
      assertThat(attempts.get()).isEqualTo(afterTerminate);
      assertThatThrownBy(() -> DynamicSupervisor.terminateChild(sup, a))
          .isInstanceOf(ChildException.NotFound.class);
    }
  }

  @Nested
  final class Restarts {

    @Test
    void restartsOnlyTheCrashedChild() {
      Pid sup = start();
      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("a", log));
      Pid b = DynamicSupervisor.startChild(sup, Worker.spec("b", log));
      Pid c = DynamicSupervisor.startChild(sup, Worker.spec("c", log));

      Worker.end(b, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(b);

      List<ChildInfo> children = DynamicSupervisor.whichChildren(sup);
      assertThat(children).extracting(ChildInfo::id).containsExactly("a", "b", "c");
      assertThat(children.get(0).pid()).isSameAs(a);
      assertThat(children.get(1).pid()).isNotNull().isNotSameAs(b);
      assertThat(children.get(1).restarts()).isEqualTo(1);
      assertThat(children.get(2).pid()).isSameAs(c);
      assertThat(log).containsExactly("start a", "start b", "start c", "start b");
    }

    @Test
    void temporaryChildrenAreRemovedWhenTheyExit() {
      Pid sup = start();
      Pid t =
          DynamicSupervisor.startChild(sup, Worker.spec("t", log).withRestart(Restart.TEMPORARY));

      Worker.end(t, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(t);

      assertThat(DynamicSupervisor.whichChildren(sup)).isEmpty();
    }

    @Test
    void transientChildrenExitingCleanlyAreRemovedAndRestartedOtherwise() {
      Pid sup = start();
      Pid clean =
          DynamicSupervisor.startChild(
              sup, Worker.spec("clean", log).withRestart(Restart.TRANSIENT));
      Pid dirty =
          DynamicSupervisor.startChild(
              sup, Worker.spec("dirty", log).withRestart(Restart.TRANSIENT));

      Worker.end(clean, ExitReason.normal());
      Worker.end(dirty, ExitReason.killed());
      events.awaitExit(clean);
      events.awaitExit(dirty);

      List<ChildInfo> children = DynamicSupervisor.whichChildren(sup);
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
      Pid sup = start(DynamicSupervisorSpec.of("d").withIntensity(Integer.MAX_VALUE, WINDOW));
      Pid a = DynamicSupervisor.startChild(sup, ChildSpec.worker("w", flaky));
      failing.set(true);

      Worker.end(a, ExitReason.crashed(new RuntimeException()));
      events.awaitExit(a);
      await().atMost(Exits.TIMEOUT).until(() -> attempts.get() > 2);
      failing.set(false);

      await()
          .atMost(Exits.TIMEOUT)
          .until(
              () ->
                  DynamicSupervisor.whichChildren(sup).stream()
                      .allMatch(c -> c.state() == ChildState.RUNNING));
      assertThat(sup.isAlive()).isTrue();
      assertThat(DynamicSupervisor.whichChildren(sup))
          .singleElement()
          .extracting(ChildInfo::pid)
          .isNotSameAs(a);
    }

    @Test
    void aRestartedChildCanBeTerminatedByItsNewPid() {
      Pid sup = start();
      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("a", log));
      Worker.end(a, ExitReason.killed());
      events.awaitExit(a);
      Pid again = DynamicSupervisor.whichChildren(sup).get(0).pid();

      assertThatThrownBy(() -> DynamicSupervisor.terminateChild(sup, a))
          .isInstanceOf(ChildException.NotFound.class);
      DynamicSupervisor.terminateChild(sup, again);

      assertThat(DynamicSupervisor.whichChildren(sup)).isEmpty();
    }
  }

  @Nested
  final class RestartIntensity {

    @Test
    void moreRestartsThanAllowedWithinTheWindowStopTheSupervisorWithShutdown() {
      Pid sup = start(DynamicSupervisorSpec.of("d").withIntensity(2, WINDOW));
      Pid bystander = DynamicSupervisor.startChild(sup, Worker.spec("b", log));
      CompletableFuture<ExitReason> supExit = Exits.watch(sup);
      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("a", log));
      for (int i = 0; i < 2; i++) {
        Worker.end(a, ExitReason.crashed(new RuntimeException()));
        events.awaitExit(a);
        a = DynamicSupervisor.whichChildren(sup).get(1).pid();
      }
      assertThat(sup.isAlive()).isTrue();

      Worker.end(a, ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(supExit)).isEqualTo(ExitReason.shutdown());
      assertThat(bystander.exitReason()).contains(ExitReason.shutdown());
      assertThat(events.await(SupervisionEvent.IntensityExceeded.class, e -> true).child())
          .isEqualTo("a");
    }

    @Test
    void crashesFurtherApartThanTheWindowNeverGiveUp() {
      Pid sup = start(DynamicSupervisorSpec.of("d").withIntensity(1, WINDOW));
      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("a", log));

      for (int i = 0; i < 10; i++) {
        ticker.advance(WINDOW.plusMillis(1));
        Worker.end(a, ExitReason.crashed(new RuntimeException()));
        events.awaitExit(a);
        a = DynamicSupervisor.whichChildren(sup).get(0).pid();
        assertThat(a).isNotNull();
      }

      assertThat(sup.isAlive()).isTrue();
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
      Pid sup = start(DynamicSupervisorSpec.of("d").withIntensity(3, WINDOW));
      CompletableFuture<ExitReason> supExit = Exits.watch(sup);
      Pid a = DynamicSupervisor.startChild(sup, ChildSpec.worker("w", flaky));
      failing.set(true);

      Worker.end(a, ExitReason.crashed(new RuntimeException()));

      assertThat(Exits.awaitExit(supExit)).isEqualTo(ExitReason.shutdown());
      assertThat(events.events(SupervisionEvent.ChildStartFailed.class)).hasSize(3);
    }
  }

  @Nested
  final class Stopping {

    @Test
    void stopsAllChildrenConcurrentlySoTheTotalIsAboutTheLongestNotTheSum() {
      Pid sup = start();
      List<Blocking> servers = new ArrayList<>();
      Duration work = Duration.ofMillis(200);
      for (int i = 0; i < 10; i++) {
        Blocking server = Blocking.working(work);
        servers.add(server);
        DynamicSupervisor.startChild(sup, ChildSpec.worker("slow", server.start()));
      }
      long begin = System.nanoTime();

      DynamicSupervisor.stop(sup);

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
      Pid sup = start();
      Blocking stubborn = Blocking.untilReleased();
      Pid s =
          DynamicSupervisor.startChild(
              sup,
              ChildSpec.worker("stubborn", stubborn.start())
                  .withShutdown(Shutdown.timeout(Duration.ofMillis(100))));
      Pid plain = DynamicSupervisor.startChild(sup, Worker.spec("plain", log));
      Pid brutal =
          DynamicSupervisor.startChild(
              sup, Worker.trapping("brutal", log).withShutdown(Shutdown.brutalKill()));

      DynamicSupervisor.stop(sup);

      assertThat(s.exitReason()).contains(ExitReason.killed());
      assertThat(stubborn.terminateOutcome.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted");
      assertThat(plain.exitReason()).contains(ExitReason.shutdown());
      assertThat(brutal.exitReason()).contains(ExitReason.killed());
      assertThat(log).doesNotContain("terminate brutal killed", "terminate brutal shutdown");
    }

    @Test
    void publishesChildExitedForEveryChildAndSupervisorStopped() {
      Pid sup = start();
      Pid a = DynamicSupervisor.startChild(sup, Worker.spec("a", log));
      Pid b = DynamicSupervisor.startChild(sup, Worker.spec("b", log));

      DynamicSupervisor.stop(sup);

      assertThat(events.events(SupervisionEvent.ChildExited.class))
          .extracting(SupervisionEvent.ChildExited::pid)
          .containsExactlyInAnyOrder(a, b);
      assertThat(
              events.await(SupervisionEvent.SupervisorStopped.class, e -> e.pid() == sup).reason())
          .isEqualTo(ExitReason.shutdown());
    }
  }

  @Test
  void inspectDescribesADynamicSupervisor() {
    Pid sup = start(DynamicSupervisorSpec.of("dyn").withIntensity(4, WINDOW));
    DynamicSupervisor.startChild(sup, Worker.spec("w", log));

    SupervisorSnapshot snapshot = Supervisor.inspect(sup, GenServer.DEFAULT_TIMEOUT);

    assertThat(snapshot.dynamic()).isTrue();
    assertThat(snapshot.strategy()).isEqualTo(Strategy.ONE_FOR_ONE);
    assertThat(snapshot.maxRestarts()).isEqualTo(4);
    assertThat(snapshot.children()).hasSize(1);
  }
}

package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class SupervisorShutdownTest {
  private final Node node = Node.create("shutdown", new ManualTicker());
  private final EventRecorder events = EventRecorder.on(node);
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Exits.closeAndCheckNoProcessLeft(node);
  }

  private Pid start(ChildSpec... children) {
    return Supervisor.start(
        node, SupervisorSpec.of("s", Strategy.ONE_FOR_ONE).withChildren(children));
  }

  @Nested
  final class Order {

    @Test
    void stoppingASupervisorStopsItsChildrenInReverseStartOrderThenExitsWithShutdown() {
      Pid sup =
          start(Worker.trapping("a", log), Worker.trapping("b", log), Worker.trapping("c", log));
      List<Pid> children = Trees.pids(sup);
      CompletableFuture<ExitReason> supExit = Exits.watch(sup);
      log.clear();

      Supervisor.stop(sup);

      assertThat(log)
          .containsExactly("terminate c shutdown", "terminate b shutdown", "terminate a shutdown");
      assertThat(children)
          .allSatisfy(c -> assertThat(c.exitReason()).contains(ExitReason.shutdown()));
      assertThat(Exits.awaitExit(supExit)).isEqualTo(ExitReason.shutdown());
    }

    @Test
    void childrenAddedWithStartChildAreStoppedFirst() {
      Pid sup = start(Worker.trapping("a", log));
      Supervisor.startChild(sup, Worker.trapping("late", log));
      log.clear();

      Supervisor.stop(sup);

      assertThat(log).containsExactly("terminate late shutdown", "terminate a shutdown");
    }

    @Test
    void aNestedSupervisorStopsItsOwnChildrenBeforeItsEarlierSiblingsStop() {
      Pid sup =
          start(
              Worker.trapping("a", log),
              ChildSpec.supervisor(
                  "inner",
                  SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)
                      .withChildren(Worker.trapping("b", log), Worker.trapping("c", log))),
              Worker.trapping("d", log));
      log.clear();

      Supervisor.stop(sup);

      assertThat(log)
          .containsExactly(
              "terminate d shutdown",
              "terminate c shutdown",
              "terminate b shutdown",
              "terminate a shutdown");
    }

    @Test
    void aSupervisorWhoseLinkedParentExitsStopsItsChildren() {
      Pid sup =
          start(
              ChildSpec.supervisor(
                  "inner",
                  SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)
                      .withChildren(Worker.trapping("x", log))));
      Pid inner = Trees.pidOf(sup, "inner");
      log.clear();

      node.kill(sup);

      assertThat(Exits.awaitExit(inner)).isEqualTo(ExitReason.killed());
      assertThat(log).containsExactly("terminate x shutdown");
    }
  }

  @Nested
  final class BrutalKill {

    @Test
    void killsTheChildWithoutRunningItsTerminate() {
      Blocking server = Blocking.untilReleased();
      Pid sup = start(ChildSpec.worker("a", server.start()).withShutdown(Shutdown.brutalKill()));
      Pid a = Trees.pidOf(sup, "a");

      Supervisor.terminateChild(sup, "a");

      assertThat(a.exitReason()).contains(ExitReason.killed());
      assertThat(server.terminateEntered).isNotDone();
      assertThat(events.await(SupervisionEvent.ChildExited.class, e -> e.pid() == a).reason())
          .isEqualTo(ExitReason.killed());
    }
  }

  @Nested
  final class Timeout {

    @Test
    void aTrappingChildRunsItsTerminateWithShutdownWithinTheTimeout() {
      Blocking server = Blocking.working(Duration.ofMillis(20));
      Pid sup =
          start(
              ChildSpec.worker("a", server.start())
                  .withShutdown(Shutdown.timeout(Duration.ofSeconds(10))));
      Pid a = Trees.pidOf(sup, "a");

      Supervisor.terminateChild(sup, "a");

      assertThat(server.terminateEntered).isCompletedWithValue(ExitReason.shutdown());
      assertThat(server.terminateOutcome).isCompletedWithValue("finished");
      assertThat(a.exitReason()).contains(ExitReason.shutdown());
    }

    @Test
    void aNonTrappingChildExitsAtOnceWithShutdown() {
      Pid sup = start(Worker.spec("a", log).withShutdown(Shutdown.timeout(Duration.ofSeconds(30))));
      Pid a = Trees.pidOf(sup, "a");
      long begin = System.nanoTime();

      Supervisor.terminateChild(sup, "a");

      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
      assertThat(a.exitReason()).contains(ExitReason.shutdown());
    }

    @Test
    void aChildThatIgnoresTheShutdownIsKilledAfterTheTimeout() {
      Blocking server = Blocking.untilReleased();
      Duration timeout = Duration.ofMillis(100);
      Pid sup =
          start(ChildSpec.worker("a", server.start()).withShutdown(Shutdown.timeout(timeout)));
      Pid a = Trees.pidOf(sup, "a");
      long begin = System.nanoTime();

      Supervisor.terminateChild(sup, "a");

      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(timeout);
      assertThat(server.terminateEntered).isCompletedWithValue(ExitReason.shutdown());
      assertThat(a.exitReason()).contains(ExitReason.killed());
      assertThat(server.terminateOutcome.orTimeout(10, TimeUnit.SECONDS).join())
          .isEqualTo("interrupted");
      assertThat(Trees.info(sup, "a").state()).isEqualTo(ChildState.STOPPED);
    }

    @Test
    void aZeroTimeoutStillSignalsShutdownFirst() {
      Pid sup = start(Worker.spec("a", log).withShutdown(Shutdown.timeout(Duration.ZERO)));
      Pid a = Trees.pidOf(sup, "a");

      Supervisor.terminateChild(sup, "a");

      assertThat(a.isAlive()).isFalse();
      assertThat(a.exitReason().orElseThrow()).isIn(ExitReason.shutdown(), ExitReason.killed());
    }
  }

  @Nested
  final class Infinity {

    @Test
    void waitsAsLongAsTheChildTakesAndNeverKillsIt() throws Exception {
      Blocking server = Blocking.untilReleased();
      Pid sup = start(ChildSpec.worker("a", server.start()).withShutdown(Shutdown.infinity()));
      Pid a = Trees.pidOf(sup, "a");

      CompletableFuture<Void> terminating =
          Background.run(() -> Supervisor.terminateChild(sup, "a"));
      assertThat(server.terminateEntered.get(10, TimeUnit.SECONDS))
          .isEqualTo(ExitReason.shutdown());
      // Longer than any timeout a broken implementation might apply by mistake: still waiting.
      assertThatThrownBy(() -> terminating.get(500, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
      assertThat(a.isAlive()).isTrue();

      server.release.countDown();

      terminating.get(10, TimeUnit.SECONDS);
      assertThat(server.terminateOutcome).isCompletedWithValue("released");
      assertThat(a.exitReason()).contains(ExitReason.shutdown());
    }

    @Test
    void theSupervisorAnswersNoCallWhileItWaits() throws Exception {
      Blocking server = Blocking.untilReleased();
      Pid sup = start(ChildSpec.worker("a", server.start()).withShutdown(Shutdown.infinity()));
      CompletableFuture<Void> terminating =
          Background.run(() -> Supervisor.terminateChild(sup, "a"));
      server.terminateEntered.get(10, TimeUnit.SECONDS);

      assertThatThrownBy(() -> Supervisor.inspect(sup, Duration.ofMillis(100)))
          .isInstanceOf(CallException.Timeout.class);

      server.release.countDown();
      terminating.get(10, TimeUnit.SECONDS);
      assertThat(Supervisor.inspect(sup, GenServer.DEFAULT_TIMEOUT).children()).hasSize(1);
    }
  }

  /** Unlinks itself from its supervisor when told to. */
  static final class Unlinking implements Server {
    enum Unlink {
      INSTANCE
    }

    private final Pid supervisor;
    private ServerContext context;

    Unlinking(Pid supervisor) {
      this.supervisor = supervisor;
    }

    @Override
    public void init(ServerContext context) {
      this.context = context;
    }

    @Override
    public void handleCall(Object request, ReplyTo replyTo) {
      context.process().unlink(supervisor);
      replyTo.reply(Unlink.INSTANCE);
    }
  }

  @Test
  void aChildThatUnlinkedItselfIsStillStoppedThroughItsMonitor() {
    Pid sup =
        start(
            ChildSpec.worker(
                "a",
                () -> {
                  Pid me = ProcessContext.current().orElseThrow().self();
                  return GenServer.startLink(() -> new Unlinking(me));
                }));
    Pid a = Trees.pidOf(sup, "a");
    GenServer.call(a, Unlinking.Unlink.INSTANCE);
    assertThat(node.links(a)).isEmpty();

    Supervisor.stop(sup);

    assertThat(a.exitReason()).contains(ExitReason.shutdown());
  }
}

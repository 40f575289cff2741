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
import dev.supervision.core.server.ServerRef;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class SupervisorShutdownTest {
  private final Node node = Node.create("shutdown", new ManualTicker());
  private final EventRecorder events = EventRecorder.on(node);
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private SupervisorRef start(ChildSpec... children) {
    return Supervisor.start(
        node, SupervisorSpec.of("s", Strategy.ONE_FOR_ONE).withChildren(children));
  }

  @Nested
  final class Order {

    @Test
    void stoppingASupervisorStopsItsChildrenInReverseStartOrderThenExitsWithShutdown() {
      SupervisorRef sup =
          start(Worker.trapping("a", log), Worker.trapping("b", log), Worker.trapping("c", log));
      List<Pid> children = Trees.pids(sup);
      log.clear();

      sup.stop();

      assertThat(log)
          .containsExactly("terminate c shutdown", "terminate b shutdown", "terminate a shutdown");
      assertThat(children)
          .allSatisfy(c -> assertThat(c.exitReason()).contains(ExitReason.shutdown()));
      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
    }

    @Test
    void childrenAddedWithStartChildAreStoppedFirst() {
      SupervisorRef sup = start(Worker.trapping("a", log));
      sup.startChild(Worker.trapping("late", log));
      log.clear();

      sup.stop();

      assertThat(log).containsExactly("terminate late shutdown", "terminate a shutdown");
    }

    @Test
    void aNestedSupervisorStopsItsOwnChildrenBeforeItsEarlierSiblingsStop() {
      SupervisorRef sup =
          start(
              Worker.trapping("a", log),
              ChildSpec.supervisor(
                  "inner",
                  SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)
                      .withChildren(Worker.trapping("b", log), Worker.trapping("c", log))),
              Worker.trapping("d", log));
      log.clear();

      sup.stop();

      assertThat(log)
          .containsExactly(
              "terminate d shutdown",
              "terminate c shutdown",
              "terminate b shutdown",
              "terminate a shutdown");
    }

    @Test
    void aSupervisorWhoseLinkedParentExitsStopsItsChildren() {
      SupervisorRef sup =
          start(
              ChildSpec.supervisor(
                  "inner",
                  SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)
                      .withChildren(Worker.trapping("x", log))));
      Pid inner = Trees.pidOf(sup, "inner");
      log.clear();

      node.kill(sup.pid());

      assertThat(Exits.awaitExit(inner)).isEqualTo(ExitReason.killed());
      assertThat(log).containsExactly("terminate x shutdown");
    }
  }

  @Nested
  final class BrutalKill {

    @Test
    void killsTheChildWithoutRunningItsTerminate() {
      Blocking server = Blocking.untilReleased();
      SupervisorRef sup =
          start(ChildSpec.worker("a", server.start()).withShutdown(Shutdown.brutalKill()));
      Pid a = Trees.pidOf(sup, "a");

      sup.terminateChild("a");

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
      SupervisorRef sup =
          start(
              ChildSpec.worker("a", server.start())
                  .withShutdown(Shutdown.timeout(Duration.ofSeconds(10))));
      Pid a = Trees.pidOf(sup, "a");

      sup.terminateChild("a");

      assertThat(server.terminateEntered).isCompletedWithValue(ExitReason.shutdown());
      assertThat(server.terminateOutcome).isCompletedWithValue("finished");
      assertThat(a.exitReason()).contains(ExitReason.shutdown());
    }

    @Test
    void aNonTrappingChildExitsAtOnceWithShutdown() {
      SupervisorRef sup =
          start(Worker.spec("a", log).withShutdown(Shutdown.timeout(Duration.ofSeconds(30))));
      Pid a = Trees.pidOf(sup, "a");
      long begin = System.nanoTime();

      sup.terminateChild("a");

      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
      assertThat(a.exitReason()).contains(ExitReason.shutdown());
    }

    @Test
    void aChildThatIgnoresTheShutdownIsKilledAfterTheTimeout() {
      Blocking server = Blocking.untilReleased();
      Duration timeout = Duration.ofMillis(100);
      SupervisorRef sup =
          start(ChildSpec.worker("a", server.start()).withShutdown(Shutdown.timeout(timeout)));
      Pid a = Trees.pidOf(sup, "a");
      long begin = System.nanoTime();

      sup.terminateChild("a");

      assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(timeout);
      assertThat(server.terminateEntered).isCompletedWithValue(ExitReason.shutdown());
      assertThat(a.exitReason()).contains(ExitReason.killed());
      assertThat(server.terminateOutcome.orTimeout(10, TimeUnit.SECONDS).join())
          .isEqualTo("interrupted");
      assertThat(Trees.info(sup, "a").state()).isEqualTo(ChildState.STOPPED);
    }

    @Test
    void aZeroTimeoutStillSignalsShutdownFirst() {
      SupervisorRef sup =
          start(Worker.spec("a", log).withShutdown(Shutdown.timeout(Duration.ZERO)));
      Pid a = Trees.pidOf(sup, "a");

      sup.terminateChild("a");

      assertThat(a.isAlive()).isFalse();
      assertThat(a.exitReason().orElseThrow()).isIn(ExitReason.shutdown(), ExitReason.killed());
    }
  }

  @Nested
  final class Infinity {

    @Test
    void waitsAsLongAsTheChildTakesAndNeverKillsIt() throws Exception {
      Blocking server = Blocking.untilReleased();
      SupervisorRef sup =
          start(ChildSpec.worker("a", server.start()).withShutdown(Shutdown.infinity()));
      Pid a = Trees.pidOf(sup, "a");

      CompletableFuture<Void> terminating = Background.run(() -> sup.terminateChild("a"));
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
      SupervisorRef sup =
          start(ChildSpec.worker("a", server.start()).withShutdown(Shutdown.infinity()));
      CompletableFuture<Void> terminating = Background.run(() -> sup.terminateChild("a"));
      server.terminateEntered.get(10, TimeUnit.SECONDS);

      assertThatThrownBy(() -> sup.inspect(Duration.ofMillis(100)))
          .isInstanceOf(CallException.Timeout.class);

      server.release.countDown();
      terminating.get(10, TimeUnit.SECONDS);
      assertThat(sup.inspect(GenServer.DEFAULT_TIMEOUT).children()).hasSize(1);
    }
  }

  /** Unlinks itself from its supervisor when told to. */
  static final class Unlinking implements Server<Unlinking.Message> {
    sealed interface Message {}

    /** Unlinks from the supervisor, and answers once it has. */
    record Unlink(ReplyTo<Boolean> replyTo) implements Message {}

    private final Pid supervisor;
    private @Nullable ServerContext<Message> context;

    Unlinking(Pid supervisor) {
      this.supervisor = supervisor;
    }

    @Override
    public void init(ServerContext<Message> context) {
      this.context = context;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Unlink(var replyTo) -> {
          Objects.requireNonNull(context).process().unlink(supervisor);
          replyTo.reply(true);
        }
      }
    }
  }

  @Test
  void aChildThatUnlinkedItselfIsStillStoppedThroughItsMonitor() {
    SupervisorRef sup =
        start(
            ChildSpec.worker(
                "a",
                () -> {
                  Pid me = ProcessContext.current().orElseThrow().self();
                  return GenServer.startLink(() -> new Unlinking(me)).pid();
                }));
    Pid a = Trees.pidOf(sup, "a");
    ServerRef.<Unlinking.Message>of(a).call(Unlinking.Unlink::new);
    assertThat(node.links(a)).isEmpty();

    sup.stop();

    assertThat(a.exitReason()).contains(ExitReason.shutdown());
  }
}

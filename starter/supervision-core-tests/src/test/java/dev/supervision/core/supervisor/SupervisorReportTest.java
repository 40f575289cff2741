package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** OTP's supervisor reports, logged at ERROR on the logger named after {@link Supervisor}. */
final class SupervisorReportTest {
  private final ManualTicker ticker = new ManualTicker();
  private final Node node = Node.create("reports", ticker);
  private final EventRecorder events = EventRecorder.on(node);
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final ReportLog reports = ReportLog.open();

  @AfterEach
  void close() {
    reports.close();
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private SupervisorRef start(int maxRestarts, ChildSpec... children) {
    return Supervisor.start(
        node,
        SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
            .withIntensity(maxRestarts, Duration.ofSeconds(5))
            .withChildren(children));
  }

  /** Crashes child {@code id} and waits until its supervisor has handled the exit. */
  private void crash(SupervisorRef supervisor, String id) {
    Pid pid = Trees.pidOf(supervisor, id);
    assertThat(pid).isNotNull();
    Worker.end(pid, ExitReason.crashed(new IllegalStateException()));
    events.awaitExit(pid);
  }

  /** A server that crashes on any message, naming it. */
  static final class Fragile implements Server<Fragile.Message> {
    sealed interface Message {}

    record Crash(String what) implements Message {}

    @Override
    public void handle(Message message) {
      switch (message) {
        case Crash(var what) -> throw new IllegalStateException("fragile crashed on " + what);
      }
    }
  }

  @Nested
  final class ChildTerminated {

    @Test
    void aCrashIsReportedAtErrorWithTheSupervisorTheChildItsPidTheReasonAndTheStackTrace() {
      SupervisorRef sup = start(3, Worker.spec("counter", log));
      Pid pid = Trees.pidOf(sup, "counter");

      crash(sup, "counter");

      assertThat(reports.records()).hasSize(1);
      LogRecord report = reports.records().getFirst();
      assertThat(report.getLevel()).isEqualTo(Level.SEVERE);
      assertThat(report.getMessage())
          .isEqualTo(
              "supervisor 'app' child_terminated: child 'counter', pid "
                  + pid
                  + ", reason: crashed: java.lang.IllegalStateException: crash requested of"
                  + " counter");
      assertThat(report.getThrown())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("crash requested of counter");
      assertThat(report.getThrown().getStackTrace()).isNotEmpty();
    }

    @Test
    void aChildRegisteredUnderANameIsReportedUnderThatName() {
      Registry<String, @Nullable Object> names = Registry.unique(node, "room-names");
      DynamicSupervisorRef rooms = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms"));
      Pid lobby =
          rooms.startChild(
              ChildSpec.server("room", Fragile::new, StartOptions.named(names.via("lobby"))));

      ServerRef.<Fragile.Message>of(lobby).cast(new Fragile.Crash("boom"));
      events.awaitExit(lobby);

      assertThat(reports.messages())
          .containsExactly(
              "supervisor 'rooms' child_terminated: child 'room' registered as via(room-names,"
                  + " lobby), pid "
                  + lobby
                  + ", reason: crashed: java.lang.IllegalStateException: fragile crashed on boom");
    }

    @Test
    void aPermanentChildThatStopsNormallyIsReportedAsOtpDoes() {
      SupervisorRef sup = start(3, Worker.spec("a", log));
      Pid pid = Trees.pidOf(sup, "a");

      Worker.end(pid, ExitReason.normal());
      events.awaitExit(pid);

      assertThat(reports.messages())
          .containsExactly(
              "supervisor 'app' child_terminated: child 'a', pid " + pid + ", reason: normal");
      assertThat(reports.records().getFirst().getThrown()).isNull();
    }

    @Test
    void aTransientChildThatStopsNormallyOrWithShutdownIsNotReported() {
      SupervisorRef sup =
          start(
              3,
              Worker.spec("normal", log).withRestart(Restart.TRANSIENT),
              Worker.spec("shutdown", log).withRestart(Restart.TEMPORARY));
      Pid normal = Trees.pidOf(sup, "normal");
      Pid shutdown = Trees.pidOf(sup, "shutdown");

      Worker.end(normal, ExitReason.normal());
      Worker.end(shutdown, ExitReason.shutdown());
      events.awaitExit(normal);
      events.awaitExit(shutdown);

      assertThat(reports.records()).isEmpty();
    }

    @Test
    void aChildTerminatedByItsSupervisorIsNotReported() {
      SupervisorRef sup = start(3, Worker.trapping("a", log));

      sup.terminateChild("a");

      assertThat(reports.records()).isEmpty();
    }
  }

  @Nested
  final class StartError {

    @Test
    void aRestartThatFailsIsReportedWithItsException() {
      AtomicInteger starts = new AtomicInteger();
      ChildStart onlyTheFirstStartWorks =
          () -> {
            if (starts.incrementAndGet() > 1) {
              throw new IllegalStateException("no database");
            }
            return Worker.start("a", log, false).start();
          };
      SupervisorRef sup = start(1, ChildSpec.worker("a", onlyTheFirstStartWorks));

      crash(sup, "a");
      Exits.awaitExit(sup.pid()); // the retry exceeds the intensity

      List<LogRecord> records = reports.records();
      assertThat(records).hasSize(3);
      assertThat(records.get(1).getMessage())
          .isEqualTo(
              "supervisor 'app' start_error: child 'a', reason: java.lang.IllegalStateException:"
                  + " no database");
      assertThat(records.get(1).getThrown()).hasMessage("no database");
    }

    @Test
    void aStartAskedForByACallerIsLeftToTheCaller() {
      SupervisorRef sup = start(3);
      ChildStart failing =
          () -> {
            throw new IllegalStateException("no database");
          };

      assertThatThrownBy(() -> sup.startChild(ChildSpec.worker("a", failing)))
          .isInstanceOf(ChildException.StartFailed.class);

      assertThat(reports.records()).isEmpty();
    }
  }

  @Nested
  final class GivingUp {

    @Test
    void isReportedAsShutdownWithReachedMaxRestartIntensityNamingTheLastChildToFail() {
      SupervisorRef sup = start(0, Worker.spec("a", log), Worker.spec("b", log));

      crash(sup, "b");
      Exits.awaitExit(sup.pid());

      assertThat(reports.messages())
          .hasSize(2)
          .last()
          .isEqualTo(
              "supervisor 'app' "
                  + sup.pid()
                  + " shutdown: reached_max_restart_intensity (more than 0 restarts within PT5S);"
                  + " the last to fail was child 'b'; its other children are stopped and it exits"
                  + " with shutdown");
    }
  }

  @Nested
  final class ShutdownError {

    @Test
    void aChildKilledAfterItsShutdownTimeoutIsReported() {
      Blocking slow = Blocking.untilReleased();
      SupervisorRef sup =
          start(
              3,
              ChildSpec.worker("slow", slow.start())
                  .withShutdown(Shutdown.timeout(Duration.ofMillis(50))));
      Pid pid = Trees.pidOf(sup, "slow");

      sup.terminateChild("slow");

      assertThat(reports.messages())
          .containsExactly(
              "supervisor 'app' shutdown_error: child 'slow', pid " + pid + ", reason: killed");
    }

    @Test
    void aChildKilledByABrutalKillShutdownIsNotReported() {
      SupervisorRef sup = start(3, Worker.spec("a", log).withShutdown(Shutdown.brutalKill()));

      sup.terminateChild("a");

      assertThat(reports.records()).isEmpty();
    }
  }

  @Nested
  final class RateLimit {

    @Test
    void aCrashLoopIsReportedFiveTimesAWindowThenSaysHowManyMoreWereSuppressed() {
      SupervisorRef sup = start(100, Worker.spec("a", log));
      for (int i = 0; i < 8; i++) {
        crash(sup, "a");
      }
      assertThat(reports.messages()).hasSize(Reporter.REPORTS_PER_WINDOW);
      assertThat(reports.messages().getLast())
          .endsWith(
              " (5 reports about this child within PT1M: further ones are suppressed until the"
                  + " window ends)");

      ticker.advance(Reporter.REPORT_WINDOW.plusSeconds(1));
      crash(sup, "a");

      List<String> messages = reports.messages();
      assertThat(messages).hasSize(7);
      assertThat(messages.get(5))
          .isEqualTo("supervisor 'app': 3 more reports about child 'a' were suppressed");
      assertThat(messages.get(6)).startsWith("supervisor 'app' child_terminated: child 'a'");
    }

    @Test
    void theSuppressedCountIsReportedWhenTheSupervisorStops() {
      SupervisorRef sup = start(100, Worker.spec("a", log));
      for (int i = 0; i < 7; i++) {
        crash(sup, "a");
      }

      sup.stop();

      assertThat(reports.messages())
          .hasSize(6)
          .last()
          .isEqualTo("supervisor 'app': 2 more reports about child 'a' were suppressed");
    }

    @Test
    void eachChildHasItsOwnLimit() {
      SupervisorRef sup = start(100, Worker.spec("a", log), Worker.spec("b", log));
      for (int i = 0; i < 6; i++) {
        crash(sup, "a");
      }

      crash(sup, "b");

      assertThat(reports.messages())
          .hasSize(6)
          .last()
          .asString()
          .startsWith("supervisor 'app' child_terminated: child 'b'");
    }
  }
}

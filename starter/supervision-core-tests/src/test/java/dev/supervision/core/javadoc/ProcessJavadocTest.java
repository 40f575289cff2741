package dev.supervision.core.javadoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.javadoc.Examples.Counter;
import dev.supervision.core.javadoc.Examples.Log;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.test.SupervisionTest;
import dev.supervision.test.TestProbe;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * The Javadoc examples of the process and event packages, each quoted verbatim after a "// Javadoc:
 * Type" comment that names its source (JavadocSnippetsTest checks that every one is quoted), run,
 * with what they claim asserted.
 */
@SupervisionTest
final class ProcessJavadocTest {

  @Nested
  final class NodeExample {

    @Test
    void theProcessPrintsWhatItGotOrIsKilledByTheClose_andNothingPrintsAfterTheClose()
        throws Exception {
      String printed =
          Examples.printed(
              () -> {
                // Javadoc: Node
                try (Node node = Node.create("demo")) {
                  Pid pid = node.spawn(self -> System.out.println("got " + self.receive()));
                  pid.send("hello");
                }
              });

      // close() kills what still runs and waits for its thread: the output is settled here
      assertThat(printed).isIn("", "got hello" + System.lineSeparator());
    }
  }

  record Ping(Pid replyTo) {}

  @Nested
  final class ProcessBodyExample {

    @Test
    void theEchoProcessAnswersEachPingWithPong(Node node) {
      TestProbe probe = TestProbe.spawn(node);

      // Javadoc: ProcessBody
      Pid echo =
          node.spawn(
              self -> {
                while (true) {
                  if (self.receive() instanceof Ping(Pid replyTo)) {
                    replyTo.send("pong");
                  }
                }
              });

      echo.send("not a ping");
      echo.send(new Ping(probe.pid()));
      echo.send(new Ping(probe.pid()));
      assertThat(probe.expectMessage(String.class, Duration.ofSeconds(5))).isEqualTo("pong");
      assertThat(probe.expectMessage(String.class, Duration.ofSeconds(5))).isEqualTo("pong");
      assertThat(echo.isAlive()).isTrue();
      node.kill(echo);
    }
  }

  @Nested
  final class LocalNameExample {

    @Test
    void aServerStartedUnderALocalNameIsCalledByThatName(Node node) {
      // Javadoc: LocalName
      ServerRef<Counter.Message> counter =
          GenServer.start(node, Counter::new, StartOptions.named(node.name("counter")));
      long value = ServerRef.<Counter.Message>of(node.name("counter")).call(Counter.Get::new);

      assertThat(value).isZero();
      assertThat(node.registeredNames()).containsEntry("counter", counter.pid());
      counter.stop();
    }
  }

  @Nested
  final class ExitReasonExample {

    // Javadoc: ExitReason
    String describe(ExitReason reason) {
      return switch (reason) {
        case ExitReason.Normal n -> "finished";
        case ExitReason.Shutdown s -> "asked to stop";
        case ExitReason.Killed k -> "killed";
        case ExitReason.Crashed c -> "crashed: " + c.error();
        case ExitReason.NoProc p -> "was not running";
      };
    }

    @Test
    void theExhaustiveSwitchDescribesEveryReason() {
      assertThat(describe(ExitReason.normal())).isEqualTo("finished");
      assertThat(describe(ExitReason.shutdown())).isEqualTo("asked to stop");
      assertThat(describe(ExitReason.shutdown("maintenance"))).isEqualTo("asked to stop");
      assertThat(describe(ExitReason.killed())).isEqualTo("killed");
      assertThat(describe(ExitReason.crashed(new IllegalStateException("boom"))))
          .isEqualTo("crashed: java.lang.IllegalStateException: boom");
      assertThat(describe(ExitReason.noProc())).isEqualTo("was not running");
    }
  }

  @Nested
  final class EventBusExample {
    private final Log log = new Log();

    @Test
    void aListenerSubscribedBeforeASupervisorStartsSeesItsChildStart(Node node) {
      // Javadoc: EventBus
      EventBus.of(node).subscribe(event -> log.info("{}", event));

      SupervisorRef app =
          Supervisor.start(
              node,
              SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
                  .withChildren(ChildSpec.server("counter", Counter::new)));

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(log.lines)
                      .anySatisfy(
                          line ->
                              assertThat(line)
                                  .startsWith("INFO ChildStarted[")
                                  .contains("counter")));
      app.stop();
    }
  }
}

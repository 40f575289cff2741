package dev.supervision.test.javadoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.supervision.core.process.Exit;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Info;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import dev.supervision.test.ServerTestKit;
import dev.supervision.test.SupervisionTest;
import dev.supervision.test.TestProbe;
import dev.supervision.test.javadoc.Examples.Counter;
import dev.supervision.test.javadoc.Examples.Event;
import dev.supervision.test.javadoc.Examples.Subscribe;
import dev.supervision.test.javadoc.Examples.User;
import dev.supervision.test.javadoc.Examples.Users;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/*
 * The test kit's Javadoc examples, each quoted verbatim after a "// Javadoc: Type" comment that
 * names its source (JavadocSnippetsTest, in the core's tests, checks that every one is quoted),
 * run, with what they claim asserted.
 */
final class TestKitJavadocTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Nested
  final class ServerTestKitExample {

    @Test
    void theKitRunsTheHandlersOnTheTestsThreadAndRecordsTheRequestedTimeout() {
      // Javadoc: ServerTestKit
      ServerTestKit<Counter.Message> kit = ServerTestKit.of(new Counter()); // runs init
      kit.cast(new Counter.Increment(2));
      long value = kit.call(Counter.Get::new); // what handle replied
      kit.info(Info.Timeout.INSTANCE);
      assertThat(kit.requestedTimeout()).contains(Duration.ofSeconds(30));

      assertThat(value).isEqualTo(2);
      int idleTicks = kit.call(Counter.IdleTicks::new);
      assertThat(idleTicks).isEqualTo(1);
    }

    @Test
    void aCallAnswersWithTheTypeOfItsReply() {
      ServerTestKit<Counter.Message> kit = ServerTestKit.of(new Counter());
      ServerTestKit<Users.Message> usersKit = ServerTestKit.of(new Users());

      // Javadoc: ServerTestKit.call
      long value = kit.call(Counter.Get::new);
      User user = usersKit.call(replyTo -> new Users.Lookup("ada", replyTo));

      assertThat(value).isZero();
      assertThat(user).isEqualTo(new User("ada"));
    }
  }

  @Nested
  @SupervisionTest
  final class TestProbeExample {

    @Test
    void theProbeRecordsWhatTheServerSendsAndTheExitOfALinkedProcess(Node node) {
      Pid server =
          node.spawn(
              self -> {
                if (self.receive() instanceof Subscribe(Pid subscriber)) {
                  self.link(subscriber);
                  subscriber.send(new Event("welcome"));
                  throw new IllegalStateException("the server crashed");
                }
              });

      // Javadoc: TestProbe
      TestProbe probe = TestProbe.spawn(node);
      probe.trapExits(); // record Exit messages instead of dying
      server.send(new Subscribe(probe.pid()));
      Event event = probe.expectMessage(Event.class, Duration.ofSeconds(1));

      assertThat(event).isEqualTo(new Event("welcome"));
      Exit exit = probe.expectMessage(Exit.class, TIMEOUT);
      assertThat(exit.from()).isEqualTo(server);
      assertThat(exit.reason()).isInstanceOf(ExitReason.Crashed.class);
      assertThat(probe.pid().isAlive()).isTrue();
    }
  }

  @Nested
  final class ManualTickerExample {

    @Test
    void theTickersTimeMovesOnlyWhenAdvanced() {
      // Javadoc: ManualTicker
      ManualTicker ticker = new ManualTicker();
      try (Node node = Node.create("test", ticker)) {
        // ... crash a child three times ...
        ticker.advance(Duration.ofSeconds(6)); // the window has passed
        // ... a fourth crash is restarted, not escalated ...
      }

      assertThat(ticker.nanoTime()).isEqualTo(Duration.ofSeconds(6).toNanos());
    }

    /* The example's elided steps, written out, with the default intensity (3 restarts in 5 s). */
    @Test
    void afterThreeCrashesAndAnAdvancePastTheWindowAFourthCrashIsRestartedNotEscalated() {
      ManualTicker ticker = new ManualTicker();
      try (Node node = Node.create("test", ticker)) {
        SupervisorRef app =
            Supervisor.start(
                node,
                SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
                    .withChildren(ChildSpec.server("counter", Counter::new)));
        for (int i = 0; i < 3; i++) {
          crashAndAwaitRestart(node, app);
        }
        ticker.advance(Duration.ofSeconds(6));
        crashAndAwaitRestart(node, app);

        assertThat(app.pid().isAlive()).isTrue();
        assertThat(app.whichChildren())
            .singleElement()
            .extracting(ChildInfo::restarts)
            .isEqualTo(4);
        app.stop();
      }
    }

    private static void crashAndAwaitRestart(Node node, SupervisorRef app) {
      Pid before = Objects.requireNonNull(app.whichChildren().get(0).pid());
      node.exit(before, ExitReason.crashed(new IllegalStateException("crash")));
      Exits.awaitExit(before);
      await()
          .atMost(TIMEOUT)
          .until(
              () -> {
                Pid now = app.whichChildren().get(0).pid();
                return now != null && now != before;
              });
    }
  }

  /* The NodeExtension example, a test class of its own, run by the launcher below. */
  interface NodeExtensionExample {
    // Javadoc: NodeExtension
    @SupervisionTest
    final class CounterTest {
      @Test
      void countsIncrements(Node node) {
        ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
        counter.cast(new Counter.Increment(2));
        assertThat(counter.call(Counter.Get::new)).isEqualTo(2L);
        counter.stop();
      }
    }
  }

  /* The SupervisionTest example, likewise. */
  interface SupervisionTestExample {
    // Javadoc: SupervisionTest
    @SupervisionTest
    final class CounterTest {
      @Test
      void answersCalls(Node node) {
        ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
        assertThat(counter.call(Counter.Get::new)).isZero();
        counter.stop();
      }
    }
  }

  /* Runs the tests of `testClass` through the JUnit Platform launcher. */
  private static TestExecutionSummary run(Class<?> testClass) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
            listener);
    return listener.getSummary();
  }

  @Nested
  final class TheExampleTestClasses {

    @Test
    void theNodeExtensionExamplePasses() {
      TestExecutionSummary summary = run(NodeExtensionExample.CounterTest.class);

      assertThat(summary.getFailures()).isEmpty();
      assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    }

    @Test
    void theSupervisionTestExamplePasses() {
      TestExecutionSummary summary = run(SupervisionTestExample.CounterTest.class);

      assertThat(summary.getFailures()).isEmpty();
      assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    }
  }
}

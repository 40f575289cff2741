package dev.supervision.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/*
 * Runs small test classes (the static nested *Tests below) through the JUnit Platform launcher and
 * checks how they end. Some fail on purpose, so they run only when launched from here (FIXTURES):
 * Surefire skips nested classes, but not when -Dtest names them.
 */
final class NodeExtensionTest {
  private static final String FIXTURES = "dev.supervision.test.fixtures";
  private static final String LAUNCHED_HERE =
      "dev.supervision.test.NodeExtensionTest#launchedFromHere";

  static boolean launchedFromHere(ExtensionContext context) {
    return context.getConfigurationParameter(FIXTURES).isPresent();
  }

  /* The nodes the fixtures saw, in the order they saw them. */
  static final List<Node> SEEN = new CopyOnWriteArrayList<>();

  /** An idle server for the fixtures to leave running. */
  static final class Idle implements Server<Idle.Message> {
    enum Message {}

    @Override
    public void handle(Message message) {
      // Message has no value
    }
  }

  @SupervisionTest
  @EnabledIf(LAUNCHED_HERE)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static final class CleanTests {
    @BeforeEach
    void before(Node node) {
      SEEN.add(node);
    }

    @Test
    void first(Node node) {
      SEEN.add(node);
      ServerRef<Idle.Message> idle = GenServer.start(node, Idle::new);
      idle.stop();
    }

    @Test
    void second(Node node) {
      SEEN.add(node);
    }

    @AfterEach
    void after(Node node) {
      SEEN.add(node);
    }
  }

  @SupervisionTest
  @EnabledIf(LAUNCHED_HERE)
  static final class LeakTests {
    @Test
    void leavesAServerRunning(Node node) {
      GenServer.start(node, Idle::new, StartOptions.DEFAULTS.withLabel("leaked"));
      SEEN.add(node);
    }
  }

  @SupervisionTest
  @EnabledIf(LAUNCHED_HERE)
  static final class ProbeAndExitingTests {
    @Test
    void leavesAProbeAndAProcessThatIsBeingKilled(Node node) {
      TestProbe.spawn(node);
      Pid doomed = node.spawn(self -> self.receive());
      node.kill(doomed);
    }
  }

  @SupervisionTest
  @EnabledIf(LAUNCHED_HERE)
  static final class BeforeAllTests {
    @BeforeAll
    static void beforeAll(Node node) {
      SEEN.add(node);
    }

    @Test
    void test() {}
  }

  @Nested
  final class ANodeParameter {

    @Test
    void isFreshForEachTestAndTheSameInItsBeforeEachAndAfterEach() {
      Map<String, @Nullable Throwable> results = run(CleanTests.class);

      assertThat(results).containsOnlyKeys("first(Node)", "second(Node)");
      assertThat(results.values()).containsOnlyNulls();
      assertThat(SEEN).hasSize(6);
      assertThat(SEEN.subList(0, 3)).containsOnly(SEEN.get(0));
      assertThat(SEEN.subList(3, 6)).containsOnly(SEEN.get(3));
      assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(3));
    }

    @Test
    void isClosedAfterTheTest() {
      run(CleanTests.class);

      assertThat(SEEN).allSatisfy(node -> assertThat(node.isClosed()).isTrue());
    }

    @Test
    void isRefusedToABeforeAllMethodWithAClearMessage() {
      Map<String, @Nullable Throwable> results = run(BeforeAllTests.class);

      assertThat(results.values())
          .singleElement()
          .asString()
          .contains("only, not to")
          .contains("beforeAll");
      assertThat(SEEN).isEmpty();
    }
  }

  @Nested
  final class TheLeakCheck {

    @Test
    void failsATestThatLeavesAProcessRunningNamingItAndStillClosesTheNode() {
      Map<String, @Nullable Throwable> results = run(LeakTests.class);

      assertThat(results.get("leavesAServerRunning(Node)"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("the test left 1 process running")
          .hasMessageContaining("leaked");
      assertThat(SEEN).singleElement().satisfies(node -> assertThat(node.isClosed()).isTrue());
    }

    @Test
    void passesATestThatLeavesOnlyProbesAndProcessesThatAreExiting() {
      Map<String, @Nullable Throwable> results = run(ProbeAndExitingTests.class);

      assertThat(results).hasSize(1);
      assertThat(results.values()).containsOnlyNulls();
    }
  }

  /* Runs `fixture`'s tests; returns each test's display name and its failure (null if it passed). */
  private static Map<String, @Nullable Throwable> run(Class<?> fixture) {
    SEEN.clear();
    Map<String, @Nullable Throwable> results = new LinkedHashMap<>();
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
              results.put(test.getDisplayName(), result.getThrowable().orElse(null));
            }
          }
        };
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(fixture))
            .configurationParameter(FIXTURES, "true")
            .build();
    LauncherFactory.create().execute(request, listener);
    return results;
  }
}

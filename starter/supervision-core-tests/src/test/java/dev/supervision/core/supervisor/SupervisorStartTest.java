package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.StartException;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class SupervisorStartTest {
  private final Node node = Node.create("start", new ManualTicker());
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  @Nested
  final class Start {

    @Test
    void startsChildrenInSpecOrderAndReturnsOnceAllHaveStarted() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
                  .withChildren(
                      Worker.spec("a", log), Worker.spec("b", log), Worker.spec("c", log)));

      assertThat(log).containsExactly("start a", "start b", "start c");
      assertThat(Trees.ids(sup)).containsExactly("a", "b", "c");
      assertThat(sup.whichChildren())
          .allSatisfy(
              c -> {
                assertThat(c.state()).isEqualTo(ChildState.RUNNING);
                assertThat(c.pid()).isNotNull();
                assertThat(c.pid().isAlive()).isTrue();
              });
    }

    @Test
    void eachChildIsStartedBeforeTheNextStartFunctionRuns() {
      List<Pid> started = new CopyOnWriteArrayList<>();
      List<Boolean> previousAliveWhenStarting = new CopyOnWriteArrayList<>();
      ChildStart recording =
          () -> {
            previousAliveWhenStarting.add(started.stream().allMatch(Pid::isAlive));
            Pid pid = Worker.start("x", log, false).start();
            started.add(pid);
            return pid;
          };

      Supervisor.start(
          node,
          SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
              .withChildren(
                  ChildSpec.worker("a", recording),
                  ChildSpec.worker("b", recording),
                  ChildSpec.worker("c", recording)));

      assertThat(previousAliveWhenStarting).containsExactly(true, true, true);
      assertThat(started).hasSize(3).allMatch(Pid::isAlive);
    }

    @Test
    void aSupervisorWithNoChildrenIsValid() {
      SupervisorRef sup = Supervisor.start(node, SupervisorSpec.of("empty", Strategy.ONE_FOR_ALL));

      assertThat(sup.pid().isAlive()).isTrue();
      assertThat(sup.whichChildren()).isEmpty();
      assertThat(sup.countChildren()).isEqualTo(new ChildCounts(0, 0, 0, 0));

      sup.stop();
      assertThat(sup.pid().exitReason()).contains(ExitReason.shutdown());
    }

    @Test
    void aThrowingStartFailsTheStartAndTerminatesStartedChildrenInReverseOrder() {
      IllegalStateException boom = new IllegalStateException("boom");
      SupervisorSpec spec =
          SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
              .withChildren(
                  Worker.trapping("a", log),
                  Worker.trapping("b", log),
                  ChildSpec.worker(
                      "bad",
                      () -> {
                        log.add("start bad");
                        throw boom;
                      }),
                  Worker.trapping("d", log));

      assertThatThrownBy(() -> Supervisor.start(node, spec))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("'bad'")
          .hasRootCause(boom);

      assertThat(log)
          .containsExactly(
              "start a", "start b", "start bad", "terminate b shutdown", "terminate a shutdown");
    }

    /*
     * Mirrors Erlang's supervisor_SUITE sup_start_fail (a child that fails to start fails the
     * supervisor's start) with a start function that crashes, which OTP's `catch` turns into
     * {error, Reason} like any other failure: the children started are shut down in reverse order.
     */
    @Test
    void aStartThrowingAnErrorFailsTheStartAndTerminatesStartedChildrenInReverseOrder() {
      AssertionError boom = new AssertionError("boom");
      SupervisorSpec spec =
          SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
              .withChildren(
                  Worker.trapping("a", log),
                  Worker.trapping("b", log),
                  ChildSpec.worker(
                      "bad",
                      () -> {
                        log.add("start bad");
                        throw boom;
                      }));

      assertThatThrownBy(() -> Supervisor.start(node, spec))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("'bad'")
          .hasRootCause(boom);

      assertThat(log)
          .containsExactly(
              "start a", "start b", "start bad", "terminate b shutdown", "terminate a shutdown");
    }

    @Test
    void aStartReturningNullFailsTheStartAndTerminatesStartedChildren() {
      SupervisorSpec spec =
          SupervisorSpec.of("s", Strategy.REST_FOR_ONE)
              .withChildren(Worker.trapping("a", log), ChildSpec.worker("null", () -> null));

      assertThatThrownBy(() -> Supervisor.start(node, spec))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("'null'")
          .hasMessageContaining("returned no process");

      assertThat(log).containsExactly("start a", "terminate a shutdown");
    }

    @Test
    void aFailedStartLeavesNoProcessBehind() {
      SupervisorSpec spec =
          SupervisorSpec.of("s", Strategy.ONE_FOR_ALL)
              .withChildren(
                  Worker.spec("a", log),
                  Worker.spec("b", log),
                  ChildSpec.worker(
                      "bad",
                      () -> {
                        throw new IllegalStateException("no");
                      }));

      assertThatThrownBy(() -> Supervisor.start(node, spec)).isInstanceOf(StartException.class);

      await().atMost(Nodes.TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(SupervisorDirectory.of(node).supervisors()).isEmpty();
    }

    @Test
    void aChildSupervisorStartsItsOwnChildrenBeforeTheNextSiblingStarts() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("root", Strategy.ONE_FOR_ONE)
                  .withChildren(
                      Worker.spec("a", log),
                      ChildSpec.supervisor(
                          "inner",
                          SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)
                              .withChildren(Worker.spec("b", log), Worker.spec("c", log))),
                      Worker.spec("d", log)));

      assertThat(log).containsExactly("start a", "start b", "start c", "start d");
      SupervisorRef inner = Trees.supervisorOf(sup, "inner");
      assertThat(Trees.ids(inner)).containsExactly("b", "c");
    }
  }

  @Nested
  final class InvalidSpecs {

    @Test
    void negativeMaxRestartsIsRejectedNamingTheValue() {
      assertThatThrownBy(
              () ->
                  SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
                      .withIntensity(-1, Duration.ofSeconds(5)))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("maxRestarts must be >= 0 but was -1");
      assertThatThrownBy(
              () -> DynamicSupervisorSpec.of("d").withIntensity(-1, Duration.ofSeconds(5)))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("maxRestarts must be >= 0 but was -1");
    }

    @Test
    void zeroOrNegativeWithinIsRejectedNamingTheValue() {
      assertThatThrownBy(
              () -> SupervisorSpec.of("s", Strategy.ONE_FOR_ONE).withIntensity(3, Duration.ZERO))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("within")
          .hasMessageContaining("PT0S");
      assertThatThrownBy(
              () ->
                  SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
                      .withIntensity(3, Duration.ofSeconds(-1)))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("PT-1S");
      assertThatThrownBy(() -> DynamicSupervisorSpec.of("d").withIntensity(3, Duration.ZERO))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("PT0S");
    }

    @Test
    void duplicateChildIdsAreRejectedNamingTheId() {
      assertThatThrownBy(
              () ->
                  SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
                      .withChildren(Worker.spec("twin", log), Worker.spec("twin", log)))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("'twin'");
    }

    @Test
    void aNullChildSpecIsRejectedNamingItsPosition() {
      List<ChildSpec> children = new ArrayList<>();
      children.add(Worker.spec("a", log));
      children.add(null);

      assertThatThrownBy(() -> SupervisorSpec.of("s", Strategy.ONE_FOR_ONE).withChildren(children))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("null child spec at index 1");
      assertThatThrownBy(
              () ->
                  SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
                      .withChildren(Worker.spec("a", log), null))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("null child spec at index 1");
    }

    @Test
    void nullOrBlankChildIdIsRejected() {
      ChildStart start = Worker.start("x", log, false);
      assertThatThrownBy(() -> ChildSpec.worker(null, start))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("id must not be null or blank but was 'null'");
      assertThatThrownBy(() -> ChildSpec.worker("  ", start))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("id must not be null or blank but was '  '");
    }

    @Test
    void aMissingStartFunctionIsRejectedNamingTheChild() {
      assertThatThrownBy(() -> ChildSpec.worker("a", null))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("'a' has no start function");
    }

    @Test
    void aNegativeShutdownTimeoutIsRejectedNamingTheValue() {
      assertThatThrownBy(() -> Shutdown.timeout(Duration.ofMillis(-1)))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("must be >= 0 but was PT-0.001S");
    }

    @Test
    void aZeroShutdownTimeoutIsAllowed() {
      assertThat(Shutdown.timeout(Duration.ZERO)).isEqualTo(Shutdown.timeout(Duration.ZERO));
    }

    @Test
    void negativeMaxChildrenIsRejectedNamingTheValue() {
      assertThatThrownBy(() -> DynamicSupervisorSpec.of("d").withMaxChildren(-1))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("maxChildren must be >= 0")
          .hasMessageContaining("but was -1");
    }

    @Test
    void nullOrBlankSupervisorNameIsRejected() {
      assertThatThrownBy(() -> SupervisorSpec.of(" ", Strategy.ONE_FOR_ONE))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("but was ' '");
      assertThatThrownBy(() -> DynamicSupervisorSpec.of(null))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("but was 'null'");
    }

    @Test
    void aMissingStrategyIsRejected() {
      assertThatThrownBy(() -> SupervisorSpec.of("s", null))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("'s' has no strategy");
    }

    @Test
    void anInvalidChildSpecGivenToStartChildNeverReachesTheSupervisor() {
      SupervisorRef sup = Supervisor.start(node, SupervisorSpec.of("s", Strategy.ONE_FOR_ONE));
      assertThatThrownBy(() -> sup.startChild(Worker.spec("", log)))
          .isInstanceOf(InvalidSpecException.class);
      assertThat(sup.pid().isAlive()).isTrue();
      assertThat(sup.whichChildren()).isEmpty();
    }
  }

  @Test
  void startLinkOutsideAProcessIsRefused() {
    assertThatThrownBy(() -> Supervisor.startLink(SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)))
        .isInstanceOf(IllegalStateException.class);
  }
}

package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/* Significant children and a static supervisor's auto-shutdown (OTP 24). */
final class SupervisorAutoShutdownTest {
  private final Node node = Node.create("auto-shutdown", new ManualTicker());
  private final EventRecorder events = EventRecorder.on(node);
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private SupervisorRef start(AutoShutdown autoShutdown, Strategy strategy, ChildSpec... children) {
    return Supervisor.start(
        node,
        SupervisorSpec.of("s", strategy)
            .withIntensity(100, Duration.ofSeconds(5))
            .withChildren(children)
            .withAutoShutdown(autoShutdown));
  }

  private static ChildSpec significant(ChildSpec spec, Restart restart) {
    return spec.withRestart(restart).withSignificant(true);
  }

  private Pid pidOf(SupervisorHandle sup, String id) {
    return Objects.requireNonNull(Trees.pidOf(sup, id), id + " is not running");
  }

  /* Ends child `id` with `reason` and waits until the supervisor has handled the exit. */
  private void end(SupervisorHandle sup, String id, ExitReason reason) {
    Pid child = pidOf(sup, id);
    Worker.end(child, reason);
    events.awaitExit(child);
  }

  @Nested
  final class AnySignificant {

    @Test
    void aTransientSignificantChildEndingNormallyShutsTheSupervisorDownInReverseOrder() {
      SupervisorRef sup =
          start(
              AutoShutdown.ANY_SIGNIFICANT,
              Strategy.ONE_FOR_ONE,
              Worker.trapping("a", log),
              significant(Worker.trapping("job", log), Restart.TRANSIENT),
              Worker.trapping("c", log));
      log.clear();

      Pid job = pidOf(sup, "job");
      Worker.end(job, ExitReason.normal());

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
      assertThat(log)
          .containsExactly("terminate job normal", "terminate c shutdown", "terminate a shutdown");
    }

    @Test
    void aTransientSignificantChildThatCrashesIsRestartedAndTheSupervisorStays() {
      SupervisorRef sup =
          start(
              AutoShutdown.ANY_SIGNIFICANT,
              Strategy.ONE_FOR_ONE,
              significant(Worker.spec("job", log), Restart.TRANSIENT));
      Pid before = pidOf(sup, "job");

      end(sup, "job", ExitReason.crashed(new IllegalStateException("boom")));

      assertThat(pidOf(sup, "job")).isNotSameAs(before);
      assertThat(sup.pid().isAlive()).isTrue();
    }

    @Test
    void aTemporarySignificantChildShutsItDownWhateverItsReason() {
      SupervisorRef sup =
          start(
              AutoShutdown.ANY_SIGNIFICANT,
              Strategy.ONE_FOR_ONE,
              Worker.spec("a", log),
              significant(Worker.spec("job", log), Restart.TEMPORARY));

      Pid job = pidOf(sup, "job");
      node.kill(job);

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
    }

    @Test
    void aSignificantChildStoppedWithTerminateChildDoesNotShutItDown() {
      SupervisorRef sup =
          start(
              AutoShutdown.ANY_SIGNIFICANT,
              Strategy.ONE_FOR_ONE,
              significant(Worker.spec("job", log), Restart.TRANSIENT));

      sup.terminateChild("job");

      assertThat(Trees.info(sup, "job").state()).isEqualTo(ChildState.STOPPED);
      assertThat(sup.pid().isAlive()).isTrue();
    }

    @Test
    void aSignificantBystanderOfAOneForAllRestartDoesNotShutItDown() {
      SupervisorRef sup =
          start(
              AutoShutdown.ANY_SIGNIFICANT,
              Strategy.ONE_FOR_ALL,
              Worker.spec("a", log),
              significant(Worker.spec("job", log), Restart.TEMPORARY));

      end(sup, "a", ExitReason.crashed(new IllegalStateException("boom")));

      assertThat(Trees.ids(sup)).containsExactly("a"); // the temporary bystander is dropped
      assertThat(sup.pid().isAlive()).isTrue();
    }

    @Test
    void aNestedSupervisorThatShutsItselfDownTakesDownAParentThatHoldsItAsSignificant() {
      SupervisorSpec inner =
          SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)
              .withChildren(significant(Worker.spec("job", log), Restart.TRANSIENT))
              .withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT);
      SupervisorRef outer =
          start(
              AutoShutdown.ANY_SIGNIFICANT,
              Strategy.ONE_FOR_ONE,
              Worker.spec("a", log),
              significant(ChildSpec.supervisor("inner", inner), Restart.TRANSIENT));
      SupervisorRef innerSup = Trees.supervisorOf(outer, "inner");

      end(innerSup, "job", ExitReason.normal());

      assertThat(Exits.awaitExit(innerSup.pid())).isEqualTo(ExitReason.shutdown());
      assertThat(Exits.awaitExit(outer.pid())).isEqualTo(ExitReason.shutdown());
    }

    @Test
    void aNestedSupervisorThatShutsItselfDownIsRestartedByAParentThatHoldsItAsPermanent() {
      SupervisorSpec inner =
          SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)
              .withChildren(significant(Worker.spec("job", log), Restart.TRANSIENT))
              .withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT);
      SupervisorRef outer =
          start(AutoShutdown.NEVER, Strategy.ONE_FOR_ONE, ChildSpec.supervisor("inner", inner));
      SupervisorRef innerSup = Trees.supervisorOf(outer, "inner");

      end(innerSup, "job", ExitReason.normal());

      events.awaitExit(innerSup.pid());
      assertThat(pidOf(outer, "inner")).isNotSameAs(innerSup.pid());
      assertThat(outer.pid().isAlive()).isTrue();
    }
  }

  @Nested
  final class AllSignificant {

    @Test
    void theSupervisorShutsDownWhenTheLastRunningSignificantChildEnds() {
      SupervisorRef sup =
          start(
              AutoShutdown.ALL_SIGNIFICANT,
              Strategy.ONE_FOR_ONE,
              Worker.spec("a", log),
              significant(Worker.spec("first", log), Restart.TRANSIENT),
              significant(Worker.spec("second", log), Restart.TEMPORARY));

      end(sup, "first", ExitReason.normal());

      assertThat(Trees.info(sup, "first").state()).isEqualTo(ChildState.STOPPED);
      assertThat(sup.pid().isAlive()).isTrue();

      Pid second = pidOf(sup, "second");
      Worker.end(second, ExitReason.shutdown());

      assertThat(Exits.awaitExit(sup.pid())).isEqualTo(ExitReason.shutdown());
    }
  }

  @Nested
  final class Validation {

    @Test
    void aPermanentChildCannotBeSignificant() {
      assertThatThrownBy(() -> Worker.spec("job", log).withSignificant(true))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("significant and permanent");
    }

    @Test
    void aSupervisorWithAutoShutdownNeverRefusesToStartWithSignificantChildren() {
      ChildSpec job = significant(Worker.spec("job", log), Restart.TRANSIENT);

      assertThatThrownBy(() -> start(AutoShutdown.NEVER, Strategy.ONE_FOR_ONE, job))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("auto-shutdown NEVER");
      assertThat(log).isEmpty();
    }

    @Test
    void startChildOfASignificantChildUnderAutoShutdownNeverIsRefusedAndKeepsNothing() {
      SupervisorRef sup = start(AutoShutdown.NEVER, Strategy.ONE_FOR_ONE);

      assertThatThrownBy(
              () -> sup.startChild(significant(Worker.spec("job", log), Restart.TRANSIENT)))
          .isInstanceOf(InvalidSpecException.class);

      assertThat(Trees.ids(sup)).isEmpty();
      assertThat(log).isEmpty();
    }

    @Test
    void aDynamicSupervisorRefusesSignificantChildren() {
      DynamicSupervisorRef sup = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d"));

      assertThatThrownBy(
              () -> sup.startChild(significant(Worker.spec("job", log), Restart.TEMPORARY)))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("dynamic supervisor");

      assertThat(sup.countChildren().specs()).isZero();
    }
  }
}

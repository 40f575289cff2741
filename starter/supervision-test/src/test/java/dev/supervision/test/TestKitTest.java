package dev.supervision.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.Exit;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

final class TestKitTest {

  @Test
  void probeRecordsMessagesInArrivalOrder() {
    try (Node node = Node.create("kit")) {
      TestProbe probe = TestProbe.spawn(node);
      probe.pid().send("one");
      probe.pid().send(2);
      assertThat(probe.expectMessage(Integer.class, Duration.ofSeconds(5))).isEqualTo(2);
      assertThat(probe.expectMessage(String.class, Duration.ofSeconds(5))).isEqualTo("one");
      assertThat(probe.messages()).isEmpty();
    }
  }

  @Test
  void expectMessageFailsWithWhatArrivedWhenNothingMatches() {
    try (Node node = Node.create("kit")) {
      TestProbe probe = TestProbe.spawn(node);
      probe.pid().send("other");
      probe.expectMessage(String.class, Duration.ofSeconds(5));
      assertThatThrownBy(() -> probe.expectMessage(Integer.class, Duration.ofMillis(20)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("java.lang.Integer");
    }
  }

  @Test
  void trappingProbeRecordsTheExitOfALinkedProcess() {
    try (Node node = Node.create("kit")) {
      TestProbe probe = TestProbe.spawn(node);
      probe.trapExits();
      CountDownLatch linked = new CountDownLatch(1);
      Pid worker =
          node.spawn(
              self -> {
                self.link(probe.pid());
                linked.countDown();
                throw new IllegalStateException("boom");
              });
      Exit exit = probe.expectMessage(Exit.class, Duration.ofSeconds(5));
      assertThat(exit.from()).isSameAs(worker);
      assertThat(exit.reason()).isInstanceOf(ExitReason.Crashed.class);
      assertThat(probe.pid().isAlive()).isTrue();
    }
  }

  @Test
  void awaitExitReturnsTheReasonOfAProcessThatAlreadyExited() {
    try (Node node = Node.create("kit")) {
      Pid quick = node.spawn(self -> {});
      assertThat(Exits.awaitExit(quick)).isEqualTo(ExitReason.normal());
    }
  }

  @Test
  void awaitExitFailsForAProcessThatKeepsRunning() {
    try (Node node = Node.create("kit")) {
      Pid forever = node.spawn(self -> self.receive());
      assertThatThrownBy(() -> Exits.awaitExit(forever, Duration.ofMillis(20)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("did not exit");
    }
  }

  @Test
  void manualTickerKeepsRestartsApartSoTheSupervisorNeverGivesUp() {
    ManualTicker ticker = new ManualTicker();
    try (Node node = Node.create("kit", ticker)) {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("kit", Strategy.ONE_FOR_ONE)
                  .withIntensity(1, Duration.ofSeconds(5))
                  .withChildren(ChildSpec.worker("w", () -> node.spawn(self -> self.receive()))));
      for (int i = 0; i < 5; i++) {
        Pid child = sup.whichChildren().get(0).runningPid().orElseThrow();
        ticker.advance(Duration.ofSeconds(6));
        node.kill(child);
        Exits.awaitExit(child);
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> sup.whichChildren().get(0).pid() != child);
      }
      assertThat(sup.pid().isAlive()).isTrue();
      assertThatThrownBy(() -> ticker.advance(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}

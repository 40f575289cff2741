package dev.supervision.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class TestProbeExpectationsTest {
  private Node node;
  private TestProbe probe;

  @BeforeEach
  void setUp() {
    node = Node.create("probe-expectations");
    probe = TestProbe.spawn(node);
  }

  @AfterEach
  void tearDown() {
    node.close();
  }

  @Nested
  final class ExpectNoMessage {

    @Test
    void passesWhenNothingArrivesAndWaitsTheWholeDuration() {
      long start = System.nanoTime();
      probe.expectNoMessage(Duration.ofMillis(50));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void failsNamingAMessageThatWasAlreadyWaiting() {
      probe.pid().send(42);
      await().atMost(Duration.ofSeconds(5)).until(() -> probe.messages().contains(42));

      assertThatThrownBy(() -> probe.expectNoMessage(Duration.ofMillis(20)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("expected no message")
          .hasMessageContaining("42");
    }

    @Test
    void failsWhenAMessageArrivesDuringTheWait() {
      // sends after a while, without the test sleeping: a receive that times out
      node.spawn(
          self -> {
            self.receive(Duration.ofMillis(50));
            probe.pid().send("late");
          });

      long start = System.nanoTime();
      assertThatThrownBy(() -> probe.expectNoMessage(Duration.ofSeconds(30)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("late");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void ignoresMessagesAlreadyConsumed() {
      probe.pid().send("consumed");
      probe.expectMessage(String.class, Duration.ofSeconds(5));

      probe.expectNoMessage(Duration.ofMillis(20));
    }
  }

  @Nested
  final class ExpectTerminated {

    @Test
    void returnsTheReasonAProcessExitsWithLater() {
      Pid worker =
          node.spawn(
              self -> {
                self.receive();
                throw new IllegalStateException("boom");
              });
      worker.send("go");

      ExitReason reason = probe.expectTerminated(worker, Duration.ofSeconds(5));

      assertThat(reason)
          .isInstanceOfSatisfying(
              ExitReason.Crashed.class, crashed -> assertThat(crashed.error()).hasMessage("boom"));
    }

    @Test
    void returnsTheActualReasonOfAProcessThatHasAlreadyExited() {
      Pid done = node.spawn(self -> self.exit(ExitReason.shutdown("done")));
      Exits.awaitExit(done);

      assertThat(probe.expectTerminated(done, Duration.ofSeconds(5)))
          .isEqualTo(ExitReason.shutdown("done"));
    }

    @Test
    void failsWhenTheProcessIsStillAliveAfterTheTimeout() {
      Pid forever = node.spawn(self -> self.receive());

      assertThatThrownBy(() -> probe.expectTerminated(forever, Duration.ofMillis(20)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(forever.toString())
          .hasMessageContaining("did not exit");
      assertThat(forever.isAlive()).isTrue();
    }

    @Test
    void leavesNothingAmongTheProbesMessages() {
      Pid quick = node.spawn(self -> {});

      probe.expectTerminated(quick, Duration.ofSeconds(5));

      probe.expectNoMessage(Duration.ofMillis(20));
    }
  }
}

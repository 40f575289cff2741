package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * Restart backoff, beyond OTP (erlang/otp PR 1287 was declined; Pekko's restartWithBackoff and
 * resilience4j's retry are the comparison). Time is the manual ticker's: no test waits for it.
 */
final class BackoffTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final ManualTicker ticker = new ManualTicker();
  private final Node node = Node.create("backoff", ticker);

  @AfterEach
  void close() {
    node.close();
  }

  static final class Feed implements Server<Feed.Message> {
    sealed interface Message {}

    record Ping(ReplyTo<String> replyTo) implements Message {}

    enum Crash implements Message {
      INSTANCE
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Ping(var replyTo) -> replyTo.reply("pong");
        case Crash c -> throw new IllegalStateException("feed crashed on request");
      }
    }
  }

  private static final Backoff ONE_TO_EIGHT =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.0, Duration.ofSeconds(60));

  private ChildSpec feed(String id) {
    return ChildSpec.server(id, Feed::new, StartOptions.named(node.name(id)));
  }

  private static ChildInfo child(SupervisorHandle sup, String id) {
    return sup.whichChildren().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  private static void crash(Pid pid) {
    ServerRef.<Feed.Message>of(pid).cast(Feed.Crash.INSTANCE);
    Exits.awaitExit(pid);
  }

  private static void awaitState(SupervisorHandle sup, String id, ChildState state) {
    await().atMost(WAIT).until(() -> child(sup, id).state() == state);
  }

  @Nested
  class Delays {
    @Test
    void delaysGrowByTheMultiplierUpToTheMaximum() {
      List<Duration> delays = new ArrayList<>();
      for (int attempt = 0; attempt < 6; attempt++) {
        delays.add(ONE_TO_EIGHT.delay(attempt, () -> 0.5));
      }
      assertThat(delays)
          .containsExactly(
              Duration.ofSeconds(1),
              Duration.ofSeconds(2),
              Duration.ofSeconds(4),
              Duration.ofSeconds(8),
              Duration.ofSeconds(8),
              Duration.ofSeconds(8));
    }

    @Test
    void jitterSpreadsADelayEitherWayButNeverPastTheMaximum() {
      Backoff jittery = ONE_TO_EIGHT.withJitter(0.5);
      assertThat(jittery.delay(1, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
      assertThat(jittery.delay(1, () -> 0.999_999_999))
          .isBetween(Duration.ofMillis(2999), Duration.ofSeconds(3));
      assertThat(jittery.delay(5, () -> 0.999_999_999)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void invalidSettingsAreRefusedNamingTheValue() {
      assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("backoff max must be >= min");
      assertThatThrownBy(() -> ONE_TO_EIGHT.withMultiplier(0.5))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("multiplier must be >= 1 but was 0.5");
      assertThatThrownBy(() -> ONE_TO_EIGHT.withJitter(1.5))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("jitter must be within [0, 1] but was 1.5");
    }
  }

  @Nested
  class StaticSupervisor {
    @Test
    void aCrashedChildBacksOffWithNoProcessAndIsRestartedWhenItsDelayHasPassed() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("sup", Strategy.ONE_FOR_ONE)
                  .withChildren(feed("feed").withBackoff(ONE_TO_EIGHT)));
      Pid first = child(sup, "feed").pid();

      crash(first);
      awaitState(sup, "feed", ChildState.BACKING_OFF);

      ChildInfo waiting = child(sup, "feed");
      assertThat(waiting.pid()).isNull();
      assertThat(waiting.backoff()).isEqualTo(Duration.ofSeconds(1));
      assertThat(waiting.nextAttempt()).isNotNull();
      assertThatThrownBy(() -> ServerRef.<Feed.Message>of(node.name("feed")).call(Feed.Ping::new))
          .isInstanceOf(CallException.NoProc.class);

      ticker.advance(Duration.ofMillis(999));
      assertThat(child(sup, "feed").state()).isEqualTo(ChildState.BACKING_OFF);
      ticker.advance(Duration.ofMillis(1));
      awaitState(sup, "feed", ChildState.RUNNING);

      assertThat(child(sup, "feed").restarts()).isEqualTo(1);
      assertThat(ServerRef.<Feed.Message>of(node.name("feed")).call(Feed.Ping::new))
          .isEqualTo("pong");
    }

    @Test
    void crashesInARowDoubleTheDelayAndARunOfResetAfterStartsAgainAtTheMinimum() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("sup", Strategy.ONE_FOR_ONE)
                  .withIntensity(100, Duration.ofSeconds(1))
                  .withChildren(feed("feed").withBackoff(ONE_TO_EIGHT)));
      List<Duration> seen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        crash(child(sup, "feed").pid());
        awaitState(sup, "feed", ChildState.BACKING_OFF);
        Duration delay = child(sup, "feed").backoff();
        seen.add(delay);
        ticker.advance(delay);
        awaitState(sup, "feed", ChildState.RUNNING);
      }
      assertThat(seen)
          .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

      ticker.advance(Duration.ofSeconds(60)); // ran resetAfter without crashing
      crash(child(sup, "feed").pid());
      awaitState(sup, "feed", ChildState.BACKING_OFF);
      assertThat(child(sup, "feed").backoff()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theSupervisorsBackoffAppliesToChildrenWithoutTheirOwn() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("sup", Strategy.ONE_FOR_ONE)
                  .withBackoff(ONE_TO_EIGHT)
                  .withChildren(feed("feed")));

      crash(child(sup, "feed").pid());

      awaitState(sup, "feed", ChildState.BACKING_OFF);
    }

    @Test
    void aChildWithoutBackoffIsRestartedAtOnceAsInOtp() {
      SupervisorRef sup =
          Supervisor.start(
              node, SupervisorSpec.of("sup", Strategy.ONE_FOR_ONE).withChildren(feed("feed")));
      Pid first = child(sup, "feed").pid();

      crash(first);

      await()
          .atMost(WAIT)
          .until(() -> child(sup, "feed").pid() != null && child(sup, "feed").pid() != first);
      assertThat(ticker.pendingTimers()).isZero();
    }

    @Test
    void oneForAllStopsTheSiblingsAtOnceAndRestartsThemAllAfterTheDelay() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("sup", Strategy.ONE_FOR_ALL)
                  .withChildren(feed("a").withBackoff(ONE_TO_EIGHT), feed("b")));
      Pid b = child(sup, "b").pid();

      crash(child(sup, "a").pid());

      Exits.awaitExit(b);
      awaitState(sup, "a", ChildState.BACKING_OFF);
      assertThat(child(sup, "b").pid()).isNull();

      ticker.advance(Duration.ofSeconds(1));
      awaitState(sup, "a", ChildState.RUNNING);
      awaitState(sup, "b", ChildState.RUNNING);
    }

    @Test
    void aChildTerminatedWhileBackingOffIsNotRestartedAndItsTimerIsCancelled() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("sup", Strategy.ONE_FOR_ONE)
                  .withChildren(feed("feed").withBackoff(ONE_TO_EIGHT)));
      crash(child(sup, "feed").pid());
      awaitState(sup, "feed", ChildState.BACKING_OFF);

      sup.terminateChild("feed");

      assertThat(ticker.pendingTimers()).isZero();
      ticker.advance(Duration.ofSeconds(10));
      assertThat(child(sup, "feed").state()).isEqualTo(ChildState.STOPPED);
      assertThatThrownBy(() -> sup.deleteChild("nope")).isInstanceOf(ChildException.NotFound.class);
    }

    @Test
    void restartChildOfABackingOffChildIsRefusedAsRestarting() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("sup", Strategy.ONE_FOR_ONE)
                  .withChildren(feed("feed").withBackoff(ONE_TO_EIGHT)));
      crash(child(sup, "feed").pid());
      awaitState(sup, "feed", ChildState.BACKING_OFF);

      assertThatThrownBy(() -> sup.restartChild("feed"))
          .isInstanceOf(ChildException.Restarting.class);
    }

    @Test
    void restartsAfterBackoffStillCountAgainstTheIntensity() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("sup", Strategy.ONE_FOR_ONE)
                  .withIntensity(2, Duration.ofSeconds(100))
                  .withChildren(feed("feed").withBackoff(ONE_TO_EIGHT)));
      Pid supervisor = sup.pid();
      for (int i = 0; i < 2; i++) {
        crash(child(sup, "feed").pid());
        awaitState(sup, "feed", ChildState.BACKING_OFF);
        ticker.advance(child(sup, "feed").backoff());
        awaitState(sup, "feed", ChildState.RUNNING);
      }

      crash(child(sup, "feed").pid());
      awaitState(sup, "feed", ChildState.BACKING_OFF);
      ticker.advance(Duration.ofSeconds(8));

      Exits.awaitExit(supervisor);
    }

    @Test
    void stoppingTheSupervisorCancelsPendingRestarts() {
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("sup", Strategy.ONE_FOR_ONE)
                  .withChildren(feed("feed").withBackoff(ONE_TO_EIGHT)));
      crash(child(sup, "feed").pid());
      awaitState(sup, "feed", ChildState.BACKING_OFF);

      sup.stop();

      assertThat(ticker.pendingTimers()).isZero();
    }
  }

  @Nested
  class DynamicSupervisorBackoff {
    @Test
    void aCrashedChildBacksOffAndIsRestartedAfterTheDelay() {
      DynamicSupervisorRef sup =
          DynamicSupervisor.start(node, DynamicSupervisorSpec.of("dyn").withBackoff(ONE_TO_EIGHT));
      Pid first = sup.startChild(feed("feed"));

      crash(first);
      await()
          .atMost(WAIT)
          .until(() -> sup.whichChildren().get(0).state() == ChildState.BACKING_OFF);
      assertThat(sup.countChildren().active()).isZero();

      ticker.advance(Duration.ofSeconds(1));
      await().atMost(WAIT).until(() -> sup.whichChildren().get(0).state() == ChildState.RUNNING);
      assertThat(sup.whichChildren().get(0).pid()).isNotEqualTo(first);
    }

    @Test
    void terminatingABackingOffChildByItsLastPidStopsItForGood() {
      DynamicSupervisorRef sup =
          DynamicSupervisor.start(node, DynamicSupervisorSpec.of("dyn").withBackoff(ONE_TO_EIGHT));
      Pid first = sup.startChild(feed("feed"));
      crash(first);
      await()
          .atMost(WAIT)
          .until(() -> sup.whichChildren().get(0).state() == ChildState.BACKING_OFF);

      sup.terminateChild(first);

      assertThat(sup.whichChildren()).isEmpty();
      assertThat(ticker.pendingTimers()).isZero();
      ticker.advance(Duration.ofSeconds(10));
      assertThat(sup.whichChildren()).isEmpty();
    }
  }
}

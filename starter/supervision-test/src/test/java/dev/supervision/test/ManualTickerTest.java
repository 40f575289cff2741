package dev.supervision.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ManualTickerTest {
  private final ManualTicker ticker = new ManualTicker();

  @Test
  void aTimerRunsOnlyWhenTimeIsAdvancedPastItsDelay() {
    List<String> ran = new ArrayList<>();
    ticker.schedule(Duration.ofSeconds(2), () -> ran.add("two"));

    ticker.advance(Duration.ofMillis(1999));
    assertThat(ran).isEmpty();
    ticker.advance(Duration.ofMillis(1));
    assertThat(ran).containsExactly("two");
    assertThat(ticker.pendingTimers()).isZero();
  }

  @Test
  void timersFallingDueInOneAdvanceRunInDueOrderThenSchedulingOrder() {
    List<String> ran = new ArrayList<>();
    ticker.schedule(Duration.ofSeconds(3), () -> ran.add("c"));
    ticker.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
    ticker.schedule(Duration.ofSeconds(3), () -> ran.add("d"));
    ticker.schedule(Duration.ofSeconds(2), () -> ran.add("b"));

    ticker.advance(Duration.ofSeconds(10));

    assertThat(ran).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aCancelledTimerNeverRuns() {
    List<String> ran = new ArrayList<>();
    Ticker.Timer timer = ticker.schedule(Duration.ofSeconds(1), () -> ran.add("x"));

    assertThat(timer.cancel()).isTrue();
    ticker.advance(Duration.ofSeconds(2));

    assertThat(ran).isEmpty();
    assertThat(timer.cancel()).isFalse();
  }

  @Test
  void aNegativeDelayIsRefused() {
    assertThatThrownBy(() -> ticker.schedule(Duration.ofSeconds(-1), () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delay must be >= 0");
  }
}

package dev.supervision.test;

import dev.supervision.core.process.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that only moves when told, so tests can place restarts inside or outside a
 * supervisor's intensity window without waiting.
 *
 * {@snippet :
 * ManualTicker ticker = new ManualTicker();
 * try (Node node = Node.create("test", ticker)) {
 *   // ... crash a child three times ...
 *   ticker.advance(Duration.ofSeconds(6)); // the window has passed
 *   // ... a fourth crash is restarted, not escalated ...
 * }
 * }
 *
 * <p>Thread-safe.
 */
public final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  /**
   * Moves time forward.
   *
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; got " + duration);
    }
    nanos.addAndGet(duration.toNanos());
  }
}

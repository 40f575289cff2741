package dev.supervision.core.supervisor;

import dev.supervision.core.process.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;

/*
 * OTP's add_restart: remember the time of every restart attempt, forget those older than the
 * window, and refuse once more than maxRestarts remain. With maxRestarts = 0 the first restart is
 * refused. Times are the node ticker's nanoseconds; the window is inclusive (an attempt exactly
 * `within` ago still counts), like OTP's whole-second arithmetic.
 */
final class Intensity {
  private final int maxRestarts;
  private final long withinNanos;
  private final Ticker ticker;
  private final ArrayDeque<Long> attempts = new ArrayDeque<>();

  Intensity(int maxRestarts, Duration within, Ticker ticker) {
    this.maxRestarts = maxRestarts;
    this.withinNanos = within.toNanos();
    this.ticker = ticker;
  }

  /* Records an attempt; returns false if it exceeds the intensity. */
  boolean admit() {
    long now = ticker.nanoTime();
    attempts.addLast(now);
    while (!attempts.isEmpty() && now - attempts.peekFirst() > withinNanos) {
      attempts.pollFirst();
    }
    return attempts.size() <= maxRestarts;
  }
}

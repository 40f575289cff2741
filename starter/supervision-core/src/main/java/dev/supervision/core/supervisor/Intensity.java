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
    this.withinNanos = saturatedNanos(within);
    this.ticker = ticker;
  }

  /* A window longer than ~292 years does not fit in nanoseconds: it is as good as forever. */
  private static long saturatedNanos(Duration within) {
    try {
      return within.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
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

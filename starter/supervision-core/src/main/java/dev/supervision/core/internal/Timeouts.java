package dev.supervision.core.internal;

import java.time.Duration;
import java.util.Objects;

/** Timeouts as nanoseconds, checked the same way by every wait of the runtime. */
public final class Timeouts {
  /**
   * What a timeout too long for a {@code long} of nanoseconds becomes (about 73 years), and from
   * which on a wait needs no deadline at all. A quarter of the range, so that adding it to {@link
   * System#nanoTime()} cannot overflow twice.
   */
  public static final long INFINITE = Long.MAX_VALUE / 4;

  private Timeouts() {}

  /**
   * {@code timeout} in nanoseconds, at most {@link #INFINITE}.
   *
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static long nanos(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0 but was " + timeout);
    }
    try {
      return Math.min(timeout.toNanos(), INFINITE);
    } catch (ArithmeticException e) {
      return INFINITE;
    }
  }
}

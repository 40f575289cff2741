package dev.supervision.core.supervisor;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long a supervisor waits before restarting a child that crashed: exponential backoff with
 * jitter, the restart delay OTP declined to build (erlang/otp PR 1287) and that Pekko's {@code
 * restartWithBackoff} and resilience4j's retry offer.
 *
 * {@snippet :
 * ChildSpec flaky = ChildSpec.server("feed", Feed::new)
 *     .withBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30)));
 * }
 *
 * <p>The n-th restart in a row (n = 0, 1, 2, ...) waits {@code min * multiplier^n}, capped at
 * {@code max}, then spread by up to {@code jitter} of itself either way (0.2: 80 % to 120 %), never
 * below zero nor above {@code max}. A child that has run {@code resetAfter} without crashing starts
 * again at {@code min}. While it waits the child is {@link ChildState#BACKING_OFF}: it has no pid,
 * calls to it fail with {@code NoProc}, load balancers skip it, and the restart still counts
 * against the supervisor's intensity when it happens (so a child that crashes as soon as it starts
 * still makes its supervisor give up, only more slowly).
 *
 * @param min the first delay; {@link Duration#ZERO} for none
 * @param max the longest delay
 * @param multiplier how much each delay grows; at least 1
 * @param jitter the random spread, from 0 (none) to 1
 * @param resetAfter how long a child must run to be treated as healthy again
 */
public record Backoff(
    Duration min, Duration max, double multiplier, double jitter, Duration resetAfter) {

  /** No backoff: a crashed child is restarted at once, as in OTP. */
  public static final Backoff NONE =
      new Backoff(Duration.ZERO, Duration.ZERO, 1.0, 0.0, Duration.ZERO);

  /**
   * Validates the backoff.
   *
   * @throws InvalidSpecException naming the invalid value
   */
  public Backoff {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(resetAfter, "resetAfter");
    if (min.isNegative()) {
      throw new InvalidSpecException("backoff min must be >= 0 but was " + min, null, "min");
    }
    if (max.compareTo(min) < 0) {
      throw new InvalidSpecException(
          "backoff max must be >= min (" + min + ") but was " + max, null, "max");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new InvalidSpecException(
          "backoff multiplier must be >= 1 but was " + multiplier, null, "multiplier");
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new InvalidSpecException(
          "backoff jitter must be within [0, 1] but was " + jitter, null, "jitter");
    }
    if (resetAfter.isNegative()) {
      throw new InvalidSpecException(
          "backoff resetAfter must be >= 0 but was " + resetAfter, null, "resetAfter");
    }
  }

  /**
   * Doubling delays from {@code min} up to {@code max}, 20 % jitter, and a reset after the child
   * has run for {@code max} (at least a second).
   */
  public static Backoff exponential(Duration min, Duration max) {
    Duration reset = max.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : max;
    return new Backoff(min, max, 2.0, 0.2, reset);
  }

  /** A copy with {@code multiplier}. */
  public Backoff withMultiplier(double multiplier) {
    return new Backoff(min, max, multiplier, jitter, resetAfter);
  }

  /** A copy with {@code jitter}. */
  public Backoff withJitter(double jitter) {
    return new Backoff(min, max, multiplier, jitter, resetAfter);
  }

  /** A copy with {@code resetAfter}. */
  public Backoff withResetAfter(Duration resetAfter) {
    return new Backoff(min, max, multiplier, jitter, resetAfter);
  }

  /** Whether this is no backoff at all. */
  public boolean isNone() {
    return max.isZero();
  }

  /**
   * The delay before restart number {@code attempt} in a row (0 for the first), with {@code random}
   * giving a uniform value in [0, 1) for the jitter.
   */
  public Duration delay(int attempt, DoubleSupplier random) {
    if (isNone()) {
      return Duration.ZERO;
    }
    double base = min.toNanos() * Math.pow(multiplier, Math.max(0, attempt));
    double capped = Math.min(base, max.toNanos());
    double spread = jitter == 0.0 ? 0.0 : capped * jitter * (2.0 * random.getAsDouble() - 1.0);
    long nanos = (long) Math.min(Math.max(0.0, capped + spread), max.toNanos());
    return Duration.ofNanos(nanos);
  }
}

package dev.supervision.core.task;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of {@link TaskSupervisor#asyncStream}, with Elixir's defaults.
 *
 * @param maxConcurrency how many tasks run at once; default the number of processors; {@code >= 1}
 * @param ordered whether results come in input order (default) or in completion order
 * @param timeout how long each task may run before it is killed and reported as {@link
 *     TaskResult.TimedOut}; default 5 seconds
 */
public record StreamOptions(int maxConcurrency, boolean ordered, Duration timeout) {

  /** Validates the options. */
  public StreamOptions {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1 but was " + maxConcurrency);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0 but was " + timeout);
    }
  }

  /** Elixir's defaults: processors, ordered, 5 seconds. */
  public static StreamOptions defaults() {
    return new StreamOptions(
        Runtime.getRuntime().availableProcessors(), true, Task.DEFAULT_TIMEOUT);
  }

  /** A copy with {@code maxConcurrency}. */
  public StreamOptions withMaxConcurrency(int maxConcurrency) {
    return new StreamOptions(maxConcurrency, ordered, timeout);
  }

  /** A copy with {@code ordered}. */
  public StreamOptions withOrdered(boolean ordered) {
    return new StreamOptions(maxConcurrency, ordered, timeout);
  }

  /** A copy with {@code timeout}. */
  public StreamOptions withTimeout(Duration timeout) {
    return new StreamOptions(maxConcurrency, ordered, timeout);
  }
}

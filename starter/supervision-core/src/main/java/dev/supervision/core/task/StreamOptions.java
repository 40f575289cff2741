package dev.supervision.core.task;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of {@link TaskSupervisor#asyncStream}, with Elixir's defaults except {@code onTimeout}.
 *
 * {@snippet :
 * StreamOptions options = StreamOptions.defaults()
 *     .withMaxConcurrency(8)
 *     .withTimeout(Duration.ofSeconds(2))
 *     .withOnTimeout(StreamOptions.OnTimeout.EXIT)
 *     .withZipInputOnExit(true);
 * }
 *
 * @param maxConcurrency how many tasks run at once; default the number of processors; {@code >= 1}
 * @param ordered whether results come in input order (default) or in completion order
 * @param timeout how long each task may run; default 5 seconds
 * @param onTimeout what a task past its timeout does to the stream: {@link OnTimeout#KILL_TASK}
 *     (default) or {@link OnTimeout#EXIT}
 * @param zipInputOnExit whether {@link TaskResult.Exited} and {@link TaskResult.TimedOut} elements
 *     carry the input their task was given (Elixir's {@code zip_input_on_exit}); default false
 */
public record StreamOptions(
    int maxConcurrency,
    boolean ordered,
    Duration timeout,
    OnTimeout onTimeout,
    boolean zipInputOnExit) {

  /** What a task past its timeout does to the stream (Elixir's {@code on_timeout}). */
  public enum OnTimeout {
    /**
     * The task is killed and the stream goes on with a {@link TaskResult.TimedOut} element for it
     * (Elixir's {@code :kill_task}).
     */
    KILL_TASK,
    /**
     * The stream fails: every task still running is killed and the consuming call throws {@link
     * TaskException.Timeout} (Elixir's {@code :exit}, which exits the caller); the stream yields
     * nothing more.
     */
    EXIT
  }

  /** Validates the options. */
  public StreamOptions {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1 but was " + maxConcurrency);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0 but was " + timeout);
    }
    Objects.requireNonNull(onTimeout, "onTimeout");
  }

  /** Options that kill a task past its timeout and carry no input. */
  public StreamOptions(int maxConcurrency, boolean ordered, Duration timeout) {
    this(maxConcurrency, ordered, timeout, OnTimeout.KILL_TASK, false);
  }

  /** Processors, ordered, 5 seconds (Elixir's defaults); a task past it is killed. */
  public static StreamOptions defaults() {
    return new StreamOptions(
        Runtime.getRuntime().availableProcessors(), true, Task.DEFAULT_TIMEOUT);
  }

  /** A copy with {@code maxConcurrency}. */
  public StreamOptions withMaxConcurrency(int maxConcurrency) {
    return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout, zipInputOnExit);
  }

  /** A copy with {@code ordered}. */
  public StreamOptions withOrdered(boolean ordered) {
    return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout, zipInputOnExit);
  }

  /** A copy with {@code timeout}. */
  public StreamOptions withTimeout(Duration timeout) {
    return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout, zipInputOnExit);
  }

  /** A copy with {@code onTimeout}. */
  public StreamOptions withOnTimeout(OnTimeout onTimeout) {
    return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout, zipInputOnExit);
  }

  /** A copy with {@code zipInputOnExit}. */
  public StreamOptions withZipInputOnExit(boolean zipInputOnExit) {
    return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout, zipInputOnExit);
  }
}

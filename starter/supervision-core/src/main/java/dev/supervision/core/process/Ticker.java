package dev.supervision.core.process;

/**
 * A source of monotonic time, in nanoseconds, used for restart-intensity windows. Tests replace it
 * with a manual ticker to move time on demand.
 */
@FunctionalInterface
public interface Ticker {

  /** Monotonic time in nanoseconds; only differences are meaningful. */
  long nanoTime();

  /** The system's {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}

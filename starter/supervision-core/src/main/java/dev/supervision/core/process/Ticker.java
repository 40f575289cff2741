package dev.supervision.core.process;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A source of monotonic time, in nanoseconds, and of timers on that time: restart-intensity windows
 * and restart backoff are measured with it. Tests replace it with a manual ticker to move time, and
 * fire timers, on demand.
 */
@FunctionalInterface
public interface Ticker {

  /** Monotonic time in nanoseconds; only differences are meaningful. */
  long nanoTime();

  /**
   * Runs {@code task} once {@code delay} has passed on this clock, on a thread of the ticker's
   * choosing; the task must be quick (it typically sends a message). The default sleeps a virtual
   * thread for the delay of the system clock. {@link Timer#cancel()} stops a task that has not run.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  default Timer schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    long nanos = delay.toNanos();
    if (nanos < 0) {
      throw new IllegalArgumentException("delay must be >= 0 but was " + delay);
    }
    Thread thread =
        Thread.ofVirtual()
            .name("ticker-timer")
            .unstarted(
                () -> {
                  long deadline = System.nanoTime() + nanos;
                  long left;
                  while ((left = deadline - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(left);
                    if (Thread.currentThread().isInterrupted()) {
                      return;
                    }
                  }
                  task.run();
                });
    thread.start();
    return () -> {
      boolean pending = thread.isAlive();
      thread.interrupt();
      return pending;
    };
  }

  /** The system's {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }

  /** A task scheduled by {@link #schedule}. */
  @FunctionalInterface
  interface Timer {
    /** Stops the task if it has not run yet; returns whether it had not. */
    boolean cancel();
  }
}

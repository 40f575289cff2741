package dev.supervision.test;

import dev.supervision.core.process.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Ticker} that only moves when told, so tests can place restarts inside or outside a
 * supervisor's intensity window, and fire restart backoffs, without waiting.
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
 * <p>Timers {@linkplain #schedule scheduled} on it run, in order of their due time, on the thread
 * that calls {@link #advance} past it. Thread-safe.
 */
public final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final PriorityQueue<Scheduled> timers = new PriorityQueue<>();
  private long sequence;

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  /**
   * Moves time forward, running every timer that falls due, in due order.
   *
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; got " + duration);
    }
    long now = nanos.addAndGet(duration.toNanos());
    List<Scheduled> due = new ArrayList<>();
    lock.lock();
    try {
      while (!timers.isEmpty() && timers.peek().at - now <= 0) {
        due.add(timers.poll());
      }
    } finally {
      lock.unlock();
    }
    for (Scheduled timer : due) {
      timer.task.run();
    }
  }

  /** The timers scheduled and not yet run or cancelled. */
  public int pendingTimers() {
    lock.lock();
    try {
      return timers.size();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code task} when {@link #advance} moves time {@code delay} past now. */
  @Override
  public Timer schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0 but was " + delay);
    }
    Scheduled timer;
    lock.lock();
    try {
      timer = new Scheduled(nanos.get() + delay.toNanos(), sequence++, task);
      timers.add(timer);
    } finally {
      lock.unlock();
    }
    return () -> {
      lock.lock();
      try {
        return timers.remove(timer);
      } finally {
        lock.unlock();
      }
    };
  }

  private record Scheduled(long at, long seq, Runnable task) implements Comparable<Scheduled> {
    @Override
    public int compareTo(Scheduled o) {
      int c = Long.compare(at - o.at, 0);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}

package dev.supervision.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Wakes parked threads at their deadlines, so that a timed wait can park without a timeout.
 *
 * <p>Why: {@code LockSupport.parkNanos} in a virtual thread schedules a task on the JDK's timer (a
 * {@code ScheduledThreadPoolExecutor}) and cancels it after the wake-up. When few waits are
 * pending, every timed park makes a new earliest task and wakes the timer's thread: an extra
 * context switch per call round trip, which on two cores costs more than the round trip itself.
 * Here a wait registers in a lock-free stack and the timer thread sleeps until the earliest
 * deadline it knows of (at most {@link #IDLE_NANOS}); an arm with a later deadline than that, which
 * with OTP's 5 second call timeout is nearly every one, does not wake it.
 *
 * <p>Use: {@link #arm} before parking (untimed), re-check the condition and the deadline after
 * every wake-up (the timer only unparks, never decides), and {@link Timeout#disarm} when done. The
 * timer runs on one virtual thread, started on first use and ended after {@link #IDLE_NANOS} with
 * nothing pending. Deadlines fire at most a few microseconds late, plus scheduling delay.
 */
public final class Deadlines {
  /* How long the timer sleeps with nothing pending before it ends; also its longest sleep. */
  static final long IDLE_NANOS = 1_000_000_000L;

  /* Past this many pending entries, the timer drops disarmed ones instead of waiting for them. */
  private static final int SWEEP_THRESHOLD = 4096;

  private static final VarHandle INCOMING;
  private static final VarHandle TIMER;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      INCOMING = lookup.findStaticVarHandle(Deadlines.class, "incoming", Timeout.class);
      TIMER = lookup.findStaticVarHandle(Deadlines.class, "timer", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /* Armed since the timer last looked: a Treiber stack, taken whole by the timer. */
  @SuppressWarnings("unused") // accessed through INCOMING
  private static volatile @Nullable Timeout incoming;

  /* The timer's thread, or null when none runs. */
  @SuppressWarnings("unused") // accessed through TIMER
  private static volatile @Nullable Thread timer;

  /* When the timer will wake next (System.nanoTime()); arms with a later deadline need not wake it. */
  private static volatile long wakeAt;

  private Deadlines() {}

  /** One armed deadline. */
  public static final class Timeout {
    final Thread waiter;
    final long deadline;
    volatile boolean disarmed;
    @Nullable Timeout next;

    Timeout(Thread waiter, long deadline) {
      this.waiter = waiter;
      this.deadline = deadline;
    }

    /** The waiter no longer needs waking. Idempotent; any thread. */
    public void disarm() {
      disarmed = true;
    }
  }

  /**
   * Has the current thread unparked at {@code deadline} (a {@link System#nanoTime()} value) or soon
   * after, unless disarmed first.
   */
  public static Timeout arm(long deadline) {
    Timeout t = new Timeout(Thread.currentThread(), deadline);
    Timeout head;
    do {
      head = incoming;
      t.next = head;
    } while (!INCOMING.compareAndSet(head, t));
    Thread running = timer;
    if (running == null) {
      start();
    } else if (deadline - wakeAt < 0) {
      LockSupport.unpark(running);
    }
    return t;
  }

  /* Whether a timer thread is running now. */
  static boolean isRunning() {
    return timer != null;
  }

  private static void start() {
    Thread t = Thread.ofVirtual().name("supervision-deadlines").unstarted(Deadlines::run);
    if (TIMER.compareAndSet((Thread) null, t)) {
      t.start();
    }
  }

  private static void run() {
    Thread self = Thread.currentThread();
    PriorityQueue<Timeout> pending =
        new PriorityQueue<>((a, b) -> Long.compare(a.deadline - b.deadline, 0L));
    boolean idle = false;
    while (true) {
      Timeout batch = (Timeout) INCOMING.getAndSet((Timeout) null);
      for (Timeout t = batch; t != null; t = t.next) {
        if (!t.disarmed) {
          pending.add(t);
        }
      }
      if (batch != null) {
        idle = false;
      }
      long now = System.nanoTime();
      Timeout top;
      while ((top = pending.peek()) != null && (top.disarmed || top.deadline - now <= 0)) {
        pending.poll();
        if (!top.disarmed) {
          LockSupport.unpark(top.waiter);
        }
      }
      if (pending.size() > SWEEP_THRESHOLD) {
        pending.removeIf(t -> t.disarmed);
      }
      long sleep;
      if (top == null) {
        if (idle && incoming == null) {
          // Nothing pending for IDLE_NANOS: end, unless an arm slipped in meanwhile.
          TIMER.setVolatile((Thread) null);
          if (incoming == null || !TIMER.compareAndSet((Thread) null, self)) {
            return;
          }
          continue;
        }
        idle = true;
        sleep = IDLE_NANOS;
      } else {
        idle = false;
        sleep = Math.min(IDLE_NANOS, top.deadline - now);
      }
      wakeAt = now + sleep;
      if (incoming != null) {
        continue; // an arm that read the old wakeAt may not have woken us
      }
      LockSupport.parkNanos(Deadlines.class, sleep);
    }
  }
}

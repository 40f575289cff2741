package dev.supervision.core.server;

import dev.supervision.core.internal.Deadlines;
import dev.supervision.core.internal.Spin;
import dev.supervision.core.internal.Timeouts;
import dev.supervision.core.process.ExitReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/*
 * The rendezvous of one call: the caller parks on it, the server (or whoever holds the ReplyTo)
 * completes it with one CAS of `result` from null. A timed-out caller CASes in ABANDONED first, so
 * a late reply fails its CAS and is dropped. Failures are stored as a Failed box, a null reply as
 * NULL, so that every outcome is one non-null object.
 */
final class CallSlot implements ReplyTo {
  private static final VarHandle RESULT;
  private static final VarHandle TAKEN;

  /* Caller's spin before parking (see await): the same ceiling as a process's receive spin. */
  static final long SPIN_NANOS = Spin.NANOS;
  private static final long PICKUP_NANOS = Math.min(SPIN_NANOS, 2_048L);
  private static final byte QUEUED = 0;
  private static final byte TAKEN_FAST = 1;
  private static final byte TAKEN_SLOW = 2;
  static final Object NULL = new Object();
  static final Object ABANDONED = new Object();

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      RESULT = lookup.findVarHandle(CallSlot.class, "result", Object.class);
      TAKEN = lookup.findVarHandle(CallSlot.class, "taken", byte.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  record Failed(ExitReason reason) {}

  private final Thread waiter;

  @SuppressWarnings("unused") // accessed through RESULT
  private volatile @Nullable Object result;

  @SuppressWarnings("unused") // accessed through TAKEN
  private byte taken = QUEUED;

  CallSlot(Thread waiter) {
    this.waiter = waiter;
  }

  @Override
  public boolean reply(@Nullable Object value) {
    return complete(value == null ? NULL : value);
  }

  boolean fail(ExitReason reason) {
    return complete(new Failed(reason));
  }

  private boolean complete(Object outcome) {
    if (RESULT.compareAndSet(this, null, outcome)) {
      LockSupport.unpark(waiter);
      return true;
    }
    return false;
  }

  /*
   * Server: it has taken the call out of its mailbox; fast says whether its last call was answered
   * within the caller's spin, so the caller knows whether spinning for this reply is worth it.
   */
  void taken(boolean fast) {
    TAKEN.setRelease(this, fast ? TAKEN_FAST : TAKEN_SLOW);
  }

  @Override
  public boolean isWaiting() {
    return result == null;
  }

  /*
   * Waits for the outcome. Returns it, or ABANDONED after the deadline (or when interrupted:
   * then the interrupt flag is left set).
   */
  Object await(long timeoutNanos) {
    Object r = result;
    if (r != null) {
      return r;
    }
    long deadline = System.nanoTime() + timeoutNanos;
    if (SPIN_NANOS > 0 && (r = spin(deadline)) != null) {
      return r;
    }
    // Park untimed; the deadline, unless infinite, is kept by Deadlines (see there for why).
    Deadlines.@Nullable Timeout armed = null;
    try {
      while (true) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
          if (RESULT.compareAndSet(this, null, ABANDONED)) {
            return ABANDONED;
          }
          return resultNow();
        }
        if (armed == null && timeoutNanos < Timeouts.INFINITE) {
          armed = Deadlines.arm(deadline);
        }
        LockSupport.park(this);
        r = result;
        if (r != null) {
          return r;
        }
      }
    } finally {
      if (armed != null) {
        armed.disarm();
      }
    }
  }

  /*
   * Spins for the outcome before parking, as a process does before parking in receive: a reply
   * that comes within a few microseconds is then taken without a park and an unpark. The caller
   * spins while the server takes the call out of its mailbox (PICKUP_NANOS: a server spinning in
   * receive takes it at once; one that must be woken does not, and a caller that spun on would
   * only keep its own carrier from running it), then, if the server says its calls are answered
   * quickly, up to SPIN_NANOS in all. Returns null when the spin ends without an outcome.
   */
  private @Nullable Object spin(long deadline) {
    long start = System.nanoTime();
    long limit = PICKUP_NANOS;
    for (int i = 1; ; i++) {
      Thread.onSpinWait();
      Object r = result;
      if (r != null) {
        return r;
      }
      if ((i & 15) == 0) {
        byte state = (byte) TAKEN.getAcquire(this);
        if (state == TAKEN_SLOW) {
          return null;
        }
        if (state == TAKEN_FAST) {
          limit = SPIN_NANOS;
        }
        long now = System.nanoTime();
        if (now - start >= limit || now - deadline >= 0) {
          return null;
        }
      }
    }
  }

  private Object resultNow() {
    Object r = result;
    if (r == null) {
      throw new IllegalStateException("call slot has no result");
    }
    return r;
  }

  @Override
  public String toString() {
    return "ReplyTo[" + (result == null ? "waiting" : "done") + "]";
  }
}

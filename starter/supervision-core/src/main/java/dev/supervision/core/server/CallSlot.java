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
final class CallSlot<R extends @Nullable Object> implements ReplyTo<R> {
  private static final VarHandle RESULT;
  private static final VarHandle TAKEN;

  /* Caller's spin before parking (see spin). */
  static final long SPIN_NANOS = Spin.CALL_NANOS;
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

  /* Outcomes only a call to another node has (see RemoteCall). */
  static final Object NO_PROC = new Object();

  record NodeDown(String node) {}

  record Thrown(RuntimeException error) {}

  private final Thread waiter;

  @SuppressWarnings("unused") // accessed through RESULT
  private volatile @Nullable Object result;

  @SuppressWarnings("unused") // accessed through TAKEN
  private byte taken = QUEUED;

  CallSlot(Thread waiter) {
    this.waiter = waiter;
  }

  @Override
  public boolean reply(R value) {
    return complete(value == null ? NULL : value);
  }

  boolean fail(ExitReason reason) {
    return complete(new Failed(reason));
  }

  boolean complete(Object outcome) {
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
   * Waits for the reply to a call whose delivery returned `queued` (Spin.Delivery's bits): it spins
   * until the server takes the call unless it queued behind other messages, or unless the caller is
   * a virtual thread whose send had to wake the server (see spin).
   */
  Object awaitReply(long timeoutNanos, int queued) {
    boolean spinUntilTaken =
        (queued & Spin.Delivery.BEHIND) == 0
            && ((queued & Spin.Delivery.WOKE) == 0 || !waiter.isVirtual());
    return await(timeoutNanos, spinUntilTaken);
  }

  /*
   * Waits for the outcome. Returns it, or ABANDONED after the deadline (or when interrupted:
   * then the interrupt flag is left set). spinUntilTaken: see spin.
   */
  Object await(long timeoutNanos, boolean spinUntilTaken) {
    Object r = result;
    if (r != null) {
      return r;
    }
    long deadline = System.nanoTime() + timeoutNanos;
    if (SPIN_NANOS > 0 && (r = spin(deadline, spinUntilTaken)) != null) {
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
   * that comes within the spin is then taken without a park and an unpark, which on this kind of
   * host cost the waker 5-45 us (src/docs/benchmarks.md, fifth and sixth rounds). A caller whose
   * call was alone in the mailbox (spinUntilTaken; see awaitReply) spins up to SPIN_NANOS even
   * before the server takes it: the server may be busy waking the previous caller, and a caller
   * that parked then would need waking in turn, a cycle that costs every call a wake-up. A caller
   * queued behind other messages, or on a virtual thread that had to wake the server (which needs
   * a carrier to run), spins only PICKUP_NANOS until the server takes its call. Either stops when the
   * server says its calls are slow (TAKEN_SLOW). After PICKUP_NANOS the spin yields every
   * PICKUP_NANOS, so that a virtual-thread caller lets its carrier run other threads (the server
   * among them) and a platform thread sharing a processor with the server gives way to it.
   * Returns null when the spin ends without an outcome.
   */
  private @Nullable Object spin(long deadline, boolean spinUntilTaken) {
    long start = System.nanoTime();
    long limit = spinUntilTaken ? SPIN_NANOS : PICKUP_NANOS;
    long yieldAt = start + PICKUP_NANOS;
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
        if (now - yieldAt >= 0) {
          Thread.yield();
          yieldAt = System.nanoTime() + PICKUP_NANOS;
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

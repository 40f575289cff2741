package dev.supervision.core.server;

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
  static final Object NULL = new Object();
  static final Object ABANDONED = new Object();

  static {
    try {
      RESULT = MethodHandles.lookup().findVarHandle(CallSlot.class, "result", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  record Failed(ExitReason reason) {}

  private final Thread waiter;

  @SuppressWarnings("unused") // accessed through RESULT
  private volatile @Nullable Object result;

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
    while (true) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
        if (RESULT.compareAndSet(this, null, ABANDONED)) {
          return ABANDONED;
        }
        return resultNow();
      }
      LockSupport.parkNanos(this, remaining);
      r = result;
      if (r != null) {
        return r;
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

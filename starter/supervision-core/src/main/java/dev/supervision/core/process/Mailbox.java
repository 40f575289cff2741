package dev.supervision.core.process;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/*
 * A multi-producer, single-consumer FIFO queue: an intrusive linked list after Dmitry Vyukov's
 * non-intrusive MPSC node queue. Producers swing the tail with one getAndSet and then link the
 * previous node; the consumer alone moves the head. Every producer increments `size` after
 * linking, and the producer that moves size from 0 to 1 wakes the consumer (see ProcessCell).
 *
 * Between those two producer steps the queue is cut: the nodes after the unlinked one are out of
 * the consumer's reach. When it is empty up to the cut, that is harmless: the cutting producer has
 * not counted its message yet and will wake the consumer. But a later producer may already have
 * linked and counted its message behind the cut, spending the only wake-up on a consumer that
 * could not see it; the cutting producer then finds size above 0 and wakes nobody. So poll never
 * answers "empty" while size says a counted message is waiting: it waits for the link, which is
 * one store away.
 *
 * The consumer subtracts what it takes from `size` in batches (`taken`, up to TAKEN_LIMIT), and
 * always before it reports the queue empty, so `size` is exact whenever the consumer may go to
 * sleep and a producer's 0 to 1 still means "wake it"; a busy consumer does not write the
 * producers' counter for every message.
 *
 * Unbounded on purpose: OTP mailboxes are unbounded and a cast never blocks or fails. Back
 * pressure is the caller's business (calls are synchronous; balancers can pick the least loaded).
 */
final class Mailbox {
  private static final VarHandle TAIL;
  private static final VarHandle NEXT;
  private static final VarHandle SIZE;
  private static final int TAKEN_LIMIT = 64;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(Mailbox.class, "tail", Entry.class);
      SIZE = lookup.findVarHandle(Mailbox.class, "size", int.class);
      NEXT = lookup.findVarHandle(Entry.class, "next", Entry.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final class Entry {
    @Nullable Object value;
    volatile @Nullable Entry next;

    Entry(@Nullable Object value) {
      this.value = value;
    }
  }

  /* Consumer-owned: the stub whose successor is the next message. */
  private Entry head;

  /* Consumer-owned (read racily by size()): messages taken but not yet subtracted from size. */
  private int taken;

  @SuppressWarnings("unused") // accessed through TAIL
  private volatile Entry tail;

  @SuppressWarnings("unused") // accessed through SIZE
  private volatile int size;

  Mailbox() {
    Entry stub = new Entry(null);
    head = stub;
    tail = stub;
  }

  /** Appends; returns true if the queue was empty, i.e. the consumer may be asleep. */
  boolean offer(Object value) {
    Entry node = new Entry(value);
    Entry previous = (Entry) TAIL.getAndSet(this, node);
    NEXT.setRelease(previous, node);
    return (int) SIZE.getAndAdd(this, 1) == 0;
  }

  /** Consumer only. */
  @Nullable Object poll() {
    Entry next = (Entry) NEXT.getAcquire(head);
    if (next == null) {
      int t = taken;
      if (t != 0) {
        taken = 0;
        SIZE.getAndAdd(this, -t);
      }
      if ((int) SIZE.getVolatile(this) <= 0) {
        return null;
      }
      next = awaitLink();
    }
    Object value = next.value;
    next.value = null;
    head = next;
    if (++taken >= TAKEN_LIMIT) {
      SIZE.getAndAdd(this, -taken);
      taken = 0;
    }
    return value;
  }

  /*
   * Consumer only: whether a linked message is waiting. Reads the stub's link and not `size`, so
   * that a consumer spinning on an empty mailbox does not keep pulling the producers' counter.
   */
  boolean hasLinked() {
    return NEXT.getAcquire(head) != null;
  }

  /* Consumer only: a producer is between its two steps; see the class comment. */
  private Entry awaitLink() {
    Entry next;
    while ((next = (Entry) NEXT.getAcquire(head)) == null) {
      Thread.onSpinWait();
      Thread.yield();
    }
    return next;
  }

  /* Exact when the consumer is idle; while it works, off by the messages it has not counted yet. */
  int size() {
    return Math.max(0, (int) SIZE.getVolatile(this) - taken);
  }
}

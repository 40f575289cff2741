package dev.supervision.core.process;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/*
 * A multi-producer, single-consumer FIFO queue: an intrusive linked list after Dmitry Vyukov's
 * non-intrusive MPSC node queue. Producers swing the tail with one getAndSet and then link the
 * previous node; the consumer alone moves the head. Between those two producer steps the queue
 * looks empty to the consumer; that is harmless because every producer increments `size` after
 * linking, and the producer that moves size from 0 to 1 wakes the consumer (see ProcessCell).
 *
 * Unbounded on purpose: OTP mailboxes are unbounded and a cast never blocks or fails. Back
 * pressure is the caller's business (calls are synchronous; balancers can pick the least loaded).
 */
final class Mailbox {
  private static final VarHandle TAIL;
  private static final VarHandle NEXT;
  private static final VarHandle SIZE;

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
      return null;
    }
    Object value = next.value;
    next.value = null;
    head = next;
    SIZE.getAndAdd(this, -1);
    return value;
  }

  int size() {
    return Math.max(0, (int) SIZE.getVolatile(this));
  }
}

package dev.supervision.core.process;

import dev.supervision.core.internal.Spin;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/*
 * A multi-producer, single-consumer FIFO queue: an intrusive linked list after Dmitry Vyukov's
 * MPSC node queue, with one atomic instruction per message on the producer's side. A producer
 * numbers its entry one past the tail's, swings the tail to it with one compareAndSet (retried
 * only when another producer won the race), and then links the previous entry to it; the consumer
 * alone moves the head. The numbers give the queue's length, tail's minus head's, without a
 * shared counter.
 *
 * Between a producer's two steps the queue is cut: the entries after the unlinked one are out of
 * the consumer's reach although the tail has moved. poll reads the head's link alone, so that a
 * consumer polling an empty mailbox (as it does while it spins) reads no line that the producers
 * write to; pollExact and prepareToSleep, which must not miss a message, read the tail and wait
 * out a cut, which ends one store later.
 *
 * Wake-ups (Dekker's handshake): before it parks, the consumer sets `sleeping` and then reads the
 * tail; a producer swings the tail and then reads `sleeping`. Both are sequentially consistent
 * accesses, so either the consumer sees the new tail and does not park, or the producer sees the
 * flag, clears it and wakes the consumer. A consumer that is busy or spinning is never woken: the
 * producer's only extra cost is a read of a line the consumer rarely writes.
 *
 * The consumer's `head` and the producers' `tail` and `sleeping` are kept on different cache lines
 * (MailboxHead, then 60 bytes of MailboxPad, then Mailbox's own fields: HotSpot lays out a
 * superclass's fields before its subclass's, and these leave no gap for it to fill). Sharing one
 * line, every message moved it between the cores twice, once for the consumer's write of `head`
 * and once for the producer's compareAndSet of `tail`: casts into one server ran at half the rate
 * (src/docs/benchmarks.md, fourth round). The padding costs 64 bytes per process.
 *
 * Unbounded on purpose: OTP mailboxes are unbounded and a cast never blocks or fails. Back
 * pressure is the caller's business (calls are synchronous; balancers can pick the least loaded).
 */
abstract class MailboxHead {
  /* Mailbox's; consumer-owned (read racily by size()): the stub whose successor is the next message. */
  Mailbox.Entry head;

  MailboxHead(Mailbox.Entry stub) {
    head = stub;
  }
}

/*
 * Seven longs and an int put `sleeping` and `tail` 64 bytes or more past `head` (offsets 12, 76
 * and 80), so never on its line. With compact object headers (head at 8) the int fills the gap at
 * 12 instead, which `sleeping`, read by the producers on every send, would otherwise take (then
 * 72 and 76).
 */
@SuppressWarnings("unused")
abstract class MailboxPad extends MailboxHead {
  long p0, p1, p2, p3, p4, p5, p6;
  int p7;

  MailboxPad(Mailbox.Entry stub) {
    super(stub);
  }
}

final class Mailbox extends MailboxPad {
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;
  private static final VarHandle NEXT;
  private static final VarHandle SLEEPING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      HEAD = lookup.findVarHandle(MailboxHead.class, "head", Entry.class);
      TAIL = lookup.findVarHandle(Mailbox.class, "tail", Entry.class);
      SLEEPING = lookup.findVarHandle(Mailbox.class, "sleeping", boolean.class);
      NEXT = lookup.findVarHandle(Entry.class, "next", Entry.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final class Entry {
    @Nullable Object value;
    volatile @Nullable Entry next;

    /* Position in the queue, modulo 2^32; set before the entry is published. */
    int seq;

    Entry(@Nullable Object value) {
      this.value = value;
    }
  }

  @SuppressWarnings("unused") // accessed through TAIL
  private volatile Entry tail;

  /* Set by the consumer before it parks; the producer that clears it wakes the consumer. */
  @SuppressWarnings("unused") // accessed through SLEEPING
  private volatile boolean sleeping;

  Mailbox() {
    this(new Entry(null));
  }

  private Mailbox(Entry stub) {
    super(stub);
    tail = stub;
  }

  /**
   * Appends; returns Spin.Delivery's bits: WOKE if the consumer is asleep, or about to be, and must
   * be woken, BEHIND if the previous message had not been taken yet (read racily: a hint). The
   * previous entry's value is nulled when it is taken, and its line is the one this producer links
   * to next anyway.
   */
  int offer(Object value) {
    Entry node = new Entry(value);
    Entry previous;
    do {
      previous = (Entry) TAIL.getVolatile(this);
      node.seq = previous.seq + 1;
    } while (!TAIL.compareAndSet(this, previous, node));
    int behind = previous.value != null ? Spin.Delivery.BEHIND : 0;
    NEXT.setRelease(previous, node);
    return (boolean) SLEEPING.getVolatile(this) && SLEEPING.compareAndSet(this, true, false)
        ? Spin.Delivery.WOKE | behind
        : behind;
  }

  /**
   * Consumer only: the next linked message, or null if there is none. A message whose producer is
   * between its two steps is not seen yet; see {@link #pollExact()}.
   */
  @Nullable Object poll() {
    Entry next = (Entry) NEXT.getAcquire(head);
    return next == null ? null : take(next);
  }

  /** Consumer only: the next message, or null if the queue is empty; waits out a cut. */
  @Nullable Object pollExact() {
    Entry next = (Entry) NEXT.getAcquire(head);
    if (next == null) {
      if (TAIL.getVolatile(this) == head) {
        return null;
      }
      next = awaitLink();
    }
    return take(next);
  }

  private Object take(Entry next) {
    Object value = Objects.requireNonNull(next.value);
    next.value = null;
    head = next;
    return value;
  }

  /* Consumer only: a producer is between its two steps; see the class comment. */
  private Entry awaitLink() {
    Entry next;
    for (int i = 1; (next = (Entry) NEXT.getAcquire(head)) == null; i++) {
      Thread.onSpinWait();
      if ((i & 1023) == 0) {
        Thread.yield(); // the producer's carrier may have been descheduled between its steps
      }
    }
    return next;
  }

  /*
   * Consumer only, before it parks: announces that it is about to sleep and returns whether it
   * may, i.e. no producer has appended since its last poll. See the class comment.
   */
  boolean prepareToSleep() {
    SLEEPING.setVolatile(this, true);
    if (TAIL.getVolatile(this) != head) {
      SLEEPING.setOpaque(this, false);
      return false;
    }
    return true;
  }

  /* Consumer only, after a park, whatever ended it. */
  void awake() {
    SLEEPING.setOpaque(this, false);
  }

  /* Exact when the consumer is idle; while it works, off by the messages it is taking. */
  int size() {
    Entry first = (Entry) HEAD.getOpaque(this);
    Entry last = (Entry) TAIL.getVolatile(this);
    return Math.max(0, last.seq - first.seq);
  }
}

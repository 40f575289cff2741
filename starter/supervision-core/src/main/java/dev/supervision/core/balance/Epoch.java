package dev.supervision.core.balance;

import dev.supervision.core.process.Pid;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * One membership of a balancer: its healthy members, never modified after publication, and the
 * round-robin cursor over them. Each selection takes the next cursor value c and the member at
 * c mod n; so the cursor alone says how many selections each member had in this epoch, and a
 * selection costs one atomic increment, with no per-member or per-balancer counter to update.
 *
 * When membership changes the balancer publishes a new epoch and then seals this one: the seal
 * swaps the cursor for a negative value in one atomic step, so every selection that took a value
 * before it is counted in the returned end, and every one after it sees a negative value and
 * retries on the new epoch. The end is then folded into the members' own counters.
 */
final class Epoch {
  private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

  /*
   * The cursor is the middle element of its own array, 64 bytes or more from either end, so that
   * no other field shares its cache line: every selection writes it from any thread, and a read
   * of `members` from a line the other core has just written would cost a second transfer.
   */
  private static final int PADDED = 15;
  private static final int CURSOR = 7;

  static final Epoch EMPTY = new Epoch(Member.NONE);

  final Member[] members;

  /* members[i].pid, one indirection closer for selection. */
  final Pid[] pids;

  /* ceil(2^64 / n): c mod n for c < 2^32 by two multiplications (Lemire, Kaser and Kurz 2019). */
  private final long magic;

  private final long[] cells = new long[PADDED];

  Epoch(Member[] members) {
    this.members = members;
    this.pids = new Pid[members.length];
    for (int i = 0; i < members.length; i++) {
      pids[i] = members[i].pid;
    }
    this.magic = magic(members.length);
  }

  /* The member index of cursor value c >= 0. */
  int index(long c) {
    return index(c, members.length, magic);
  }

  static long magic(int n) {
    return n == 0 ? 0L : Long.divideUnsigned(-1L, n) + 1;
  }

  /* c mod n for c >= 0, without a division below 2^32; magic = magic(n). */
  static int index(long c, int n, long magic) {
    if (c >>> 32 == 0) {
      return (int) Math.unsignedMultiplyHigh(magic * c, n);
    }
    return (int) (c % n);
  }

  /* The next cursor value; negative once sealed. */
  long next() {
    return (long) CELLS.getAndAdd(cells, CURSOR, 1L);
  }

  /* Ends the epoch; returns how many cursor values were taken in it. */
  long seal() {
    long end = (long) CELLS.getAndSet(cells, CURSOR, Long.MIN_VALUE);
    return Math.max(0L, end);
  }

  /* Cursor values taken so far (0 once sealed: they have been folded). */
  long taken() {
    return Math.max(0L, (long) CELLS.getVolatile(cells, CURSOR));
  }

  /* How many of the first `taken` cursor values fell on member `index` of `n`. */
  static long hits(long taken, int n, int index) {
    return taken / n + (index < taken % n ? 1 : 0);
  }
}

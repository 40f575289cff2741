package dev.supervision.core.balance;

import dev.supervision.core.internal.Timeouts;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.ServerRef;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/*
 * Selection shared by both balancers. Subclasses publish the healthy members as an Epoch (see
 * there): an array never modified after publication, replaced as a whole when membership changes,
 * so selection never sees a half-built set.
 *
 * Round robin: index = epoch.next() % n. Every selection, from any thread, takes a distinct,
 * consecutive cursor value, so k * n selections over an unchanged epoch of n members take k values
 * of every residue mod n: exact fairness. The cursor is a long, so it never wraps in practice. The
 * cursor is also the count: a member's dispatches are its folded counter plus its share of the
 * current epoch's cursor values, so a selection updates nothing else (two LongAdders per
 * selection, the previous design, cost a third of the rate).
 *
 * A member whose process has just exited (marked dead, exit callback not yet run) may still be in
 * the array: selection checks isAlive() and moves on, at most n attempts per pass; the skipped
 * value is taken back from that member's counter (a rare path). Least loaded counts each selection
 * in the member's counter directly.
 *
 * Waiting: select(timeout) registers as a waiter under `lock` and awaits `joined`; subclasses call
 * memberJoined() after publishing a new epoch. The waiter counter is written under the lock and
 * read by notifiers after they publish, and the waiter re-reads the epoch after counting itself,
 * so a join is never missed (Dekker-style, both sides volatile) and notifiers skip the lock when
 * nobody waits.
 */
abstract class Balancer<M> implements LoadBalancer<M> {
  private final String name;
  private final BalanceStrategy strategy;
  private final boolean roundRobin;
  private volatile Epoch current = Epoch.EMPTY;

  /* Cursor values of sealed epochs, plus least-loaded selections, minus skipped values. */
  private final LongAdder counted = new LongAdder();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition joined = lock.newCondition();
  private final AtomicInteger waiters = new AtomicInteger();
  volatile boolean closed;

  Balancer(String name, BalanceStrategy strategy) {
    this.name = name;
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.roundRobin = strategy == BalanceStrategy.ROUND_ROBIN;
  }

  /* The healthy members now. */
  Epoch epoch() {
    return current;
  }

  /*
   * Publishes `members` as the new epoch and folds the old one's selections into its members'
   * counters. Callers serialise publications (each subclass under its membership lock).
   */
  final void publish(Member[] members) {
    Epoch old = current;
    current = new Epoch(members);
    long end = old.seal();
    Member[] m = old.members;
    int n = m.length;
    if (n > 0 && end > 0) {
      for (int i = 0; i < n; i++) {
        m[i].dispatches.add(Epoch.hits(end, n, i));
      }
      counted.add(end);
    }
  }

  /* Selections that chose `member` so far, wherever it is (or is not) in the current epoch. */
  final long dispatchesOf(Member member) {
    Epoch e = epoch();
    Member[] m = e.members;
    for (int i = 0; i < m.length; i++) {
      if (m[i] == member) {
        return dispatchesAt(e, i);
      }
    }
    return member.dispatches.sum();
  }

  /* Selections that chose member `i` of epoch `e` so far. */
  static long dispatchesAt(Epoch e, int i) {
    return e.members[i].dispatches.sum() + Epoch.hits(e.taken(), e.members.length, i);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final BalanceStrategy strategy() {
    return strategy;
  }

  @Override
  public final long dispatches() {
    return counted.sum() + epoch().taken();
  }

  final void checkOpen() {
    if (closed) {
      throw new IllegalStateException("load balancer '" + name + "' is closed");
    }
  }

  final @Nullable Pid trySelect() {
    checkOpen();
    return roundRobin ? nextRoundRobin() : nextLeastLoaded();
  }

  /*
   * At most two scans of n cursor values over the current epoch; a sealed epoch (membership
   * changed) sends the selection to the new one without counting a scan.
   */
  private @Nullable Pid nextRoundRobin() {
    int scans = 0;
    while (scans < 2) {
      Epoch e = epoch();
      int n = e.members.length;
      if (n == 0) {
        return null;
      }
      int attempt = 0;
      long c;
      while (attempt < n && (c = e.next()) >= 0) {
        int index = e.index(c);
        Pid pid = e.pids[index];
        if (pid.isAlive()) {
          return pid;
        }
        e.members[index].dispatches.decrement(); // that value counted for a dead member
        counted.decrement();
        attempt++;
      }
      if (attempt == n) {
        scans++;
      }
    }
    return null;
  }

  /* At most two passes of n choices over the current members. */
  private @Nullable Pid nextLeastLoaded() {
    for (int pass = 0; pass < 2; pass++) {
      Member[] members = epoch().members;
      int n = members.length;
      if (n == 0) {
        return null;
      }
      for (int attempt = 0; attempt < n; attempt++) {
        Member chosen = leastLoaded(members, n);
        if (chosen.pid.isAlive()) {
          chosen.dispatches.increment();
          counted.increment();
          return chosen.pid;
        }
      }
    }
    return null;
  }

  private static Member leastLoaded(Member[] members, int n) {
    if (n == 1) {
      return members[0];
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int i = random.nextInt(n);
    int j = random.nextInt(n - 1);
    if (j >= i) {
      j++;
    }
    Member a = members[i];
    Member b = members[j];
    return b.pid.mailboxDepth() < a.pid.mailboxDepth() ? b : a;
  }

  @Override
  public final Pid select() {
    Pid pid = trySelect();
    if (pid == null) {
      throw new NoWorkerAvailableException(name, Duration.ZERO, "");
    }
    return pid;
  }

  @Override
  public final Pid select(Duration timeout) {
    long nanos = Timeouts.nanos(timeout);
    Pid pid = trySelect();
    if (pid != null) {
      return pid;
    }
    if (nanos == 0) {
      throw new NoWorkerAvailableException(name, Duration.ZERO, "");
    }
    long deadline = System.nanoTime() + nanos;
    lock.lock();
    try {
      waiters.incrementAndGet();
      while (true) {
        pid = trySelect();
        if (pid != null) {
          return pid;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new NoWorkerAvailableException(name, timeout, " within " + timeout);
        }
        joined.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoWorkerAvailableException(
          name,
          Duration.ofNanos(nanos - Math.max(0, deadline - System.nanoTime())),
          " (interrupted)");
    } finally {
      waiters.decrementAndGet();
      lock.unlock();
    }
  }

  /* Wakes threads waiting in select(timeout); call after publishing new members or closing. */
  final void memberJoined() {
    if (waiters.get() > 0) {
      lock.lock();
      try {
        joined.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public final <R extends @Nullable Object> R call(
      Function<? super ReplyTo<R>, ? extends M> request) {
    return call(request, GenServer.DEFAULT_TIMEOUT);
  }

  @Override
  public final <R extends @Nullable Object> R call(
      Function<? super ReplyTo<R>, ? extends M> request, Duration timeout) {
    Objects.requireNonNull(request, "request");
    long nanos = Timeouts.nanos(timeout);
    boolean infinite = nanos >= Timeouts.INFINITE;
    long deadline = System.nanoTime() + nanos;
    while (true) {
      Pid pid =
          select(infinite ? timeout : Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      Duration left =
          infinite
              ? GenServer.INFINITY
              : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      try {
        return ServerRef.<M>of(pid).call(request, left);
      } catch (CallException.NoProc e) {
        // The worker exited before the request was delivered: safe to try another one.
        if (!infinite && deadline - System.nanoTime() <= 0) {
          throw e;
        }
      }
    }
  }

  @Override
  public final void cast(M message) {
    Objects.requireNonNull(message, "message");
    ServerRef.<M>of(select()).cast(message);
  }
}

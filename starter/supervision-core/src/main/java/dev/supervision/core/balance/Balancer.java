package dev.supervision.core.balance;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/*
 * Selection shared by both balancers. Subclasses keep an immutable array of healthy members and
 * replace it as a whole when membership changes; selection reads it once, so it never sees a
 * half-built set.
 *
 * Round robin: index = (cursor.getAndIncrement() & Long.MAX_VALUE) % n. Every selection, from any
 * thread, takes a distinct, consecutive cursor value, so k * n selections over an unchanged array
 * of n members take k values of every residue mod n: exact fairness. The cursor is a long, so it
 * never wraps in practice (an int cursor with a sign mask would jump from 2^31-1 to 0 and break
 * the residue sequence unless n divides 2^31). With one member the cursor is not advanced (Spring
 * Cloud LoadBalancer does the same).
 *
 * A member whose process has just exited (marked dead, exit callback not yet run) may still be in
 * the array: selection checks isAlive() and moves on, at most n attempts per pass.
 *
 * Waiting: select(timeout) registers as a waiter under `lock` and awaits `joined`; subclasses call
 * memberJoined() after publishing a new array. The waiter counter is written under the lock and
 * read by notifiers after they publish, and the waiter re-reads the array after counting itself,
 * so a join is never missed (Dekker-style, both sides volatile) and notifiers skip the lock when
 * nobody waits.
 */
abstract class Balancer implements LoadBalancer {
  private final String name;
  private final BalanceStrategy strategy;
  private final AtomicLong cursor = new AtomicLong();
  private final LongAdder total = new LongAdder();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition joined = lock.newCondition();
  private final AtomicInteger waiters = new AtomicInteger();
  volatile boolean closed;

  Balancer(String name, BalanceStrategy strategy) {
    this.name = name;
    this.strategy = Objects.requireNonNull(strategy, "strategy");
  }

  /* The healthy members now: an array that is never modified after publication. */
  abstract Member[] members();

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
    return total.sum();
  }

  final void checkOpen() {
    if (closed) {
      throw new IllegalStateException("load balancer '" + name + "' is closed");
    }
  }

  final @Nullable Pid trySelect() {
    checkOpen();
    for (int pass = 0; pass < 2; pass++) {
      Member[] members = members();
      int n = members.length;
      if (n == 0) {
        return null;
      }
      for (int attempt = 0; attempt < n; attempt++) {
        Member chosen = pick(members, n);
        Pid pid = chosen.pid;
        if (pid.isAlive()) {
          chosen.dispatches.increment();
          total.increment();
          return pid;
        }
      }
    }
    return null;
  }

  private Member pick(Member[] members, int n) {
    if (n == 1) {
      return members[0];
    }
    return switch (strategy) {
      case ROUND_ROBIN -> members[(int) ((cursor.getAndIncrement() & Long.MAX_VALUE) % n)];
      case LEAST_LOADED -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(n);
        int j = random.nextInt(n - 1);
        if (j >= i) {
          j++;
        }
        Member a = members[i];
        Member b = members[j];
        yield b.pid.mailboxDepth() < a.pid.mailboxDepth() ? b : a;
      }
    };
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
    long nanos = nanos(timeout);
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
  @SuppressWarnings("TypeParameterUnusedInFormals")
  public final <R extends @Nullable Object> R call(Object request) {
    return call(request, GenServer.DEFAULT_TIMEOUT);
  }

  @Override
  @SuppressWarnings("TypeParameterUnusedInFormals")
  public final <R extends @Nullable Object> R call(Object request, Duration timeout) {
    Objects.requireNonNull(request, "request");
    long nanos = nanos(timeout);
    boolean infinite = nanos >= Long.MAX_VALUE / 4;
    long deadline = System.nanoTime() + nanos;
    while (true) {
      Pid pid =
          select(infinite ? timeout : Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      Duration left =
          infinite
              ? GenServer.INFINITY
              : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      try {
        return GenServer.call(pid, request, left);
      } catch (CallException.NoProc e) {
        // The worker exited before the request was delivered: safe to try another one.
        if (!infinite && deadline - System.nanoTime() <= 0) {
          throw e;
        }
      }
    }
  }

  @Override
  public final void cast(Object message) {
    Objects.requireNonNull(message, "message");
    GenServer.cast(select(), message);
  }

  static long nanos(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0 but was " + timeout);
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }
}

package dev.supervision.core.registry;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/*
 * The lock keys of one registry (Registry.lock, Elixir's Registry.lock/3). They have their own
 * namespace, apart from the entries: taking a lock never touches the tables that lookups read.
 *
 * A locked key has a Held in `held`: its holder and the callers waiting for it, in arrival order.
 * Every change of a key's lock (take, queue, hand over, give up, close) happens inside
 * ConcurrentHashMap.compute on that key, so its bin lock orders them; these sections are short and
 * never run user code or block. The key's Held is removed when the lock is released with nobody
 * waiting, so a key that is not locked costs nothing. The queue holds one waiter per blocked
 * thread, so it is bounded by the number of threads.
 *
 * A waiter parks until a release hands it the lock (its state becomes HOLDING and it is unparked),
 * or the registry closes (CLOSED). An interrupt alone does not end the wait (as
 * ReentrantLock.lock), but a waiting process that exits, killed or taken down by a link, is
 * interrupted by the runtime: it takes itself out of the queue and unwinds. A release also skips
 * waiters whose process has exited (as Elixir's partition skips dead waiters).
 *
 * A holder that is a process is watched with an exit callback (Node.monitor): it releases the lock
 * on the thread that ends the process, before links and monitors hear of the exit, so the lock
 * passes on even if the holder's code ignores the interrupt and keeps running. The holder's own
 * release, in a finally block, then finds the lock no longer its own and does nothing.
 */
final class Locks {
  private static final int WAITING = 0;
  private static final int HOLDING = 1;
  private static final int DONE = 2;
  private static final int CLOSED = 3;

  private static final class Waiter {
    final Thread thread = Thread.currentThread();
    final @Nullable ProcessContext process;

    /* Written inside compute on the key; read by the waiter's thread after it wakes. */
    volatile int state = WAITING;

    Waiter(@Nullable ProcessContext process) {
      this.process = process;
    }

    boolean exited() {
      return process != null && !process.self().isAlive();
    }
  }

  private static final class Held {
    Waiter holder;
    final ArrayDeque<Waiter> waiting = new ArrayDeque<>(2);

    Held(Waiter holder) {
      this.holder = holder;
    }
  }

  private final String registry;
  private final ConcurrentHashMap<Object, Held> held = new ConcurrentHashMap<>();
  private volatile boolean closed;

  Locks(String registry) {
    this.registry = registry;
  }

  <R extends @Nullable Object> R lock(Object key, Supplier<R> function) {
    ProcessContext process = ProcessContext.current().orElse(null);
    Waiter me = new Waiter(process);
    acquire(key, me);
    MonitorRef watch = null;
    try {
      if (process != null) {
        Pid pid = process.self();
        // Runs at once, releasing, if the process has exited since it was handed the lock.
        watch = pid.node().monitor(pid, (p, reason) -> release(key, me));
        if (me.state != HOLDING) {
          throw unwind(process);
        }
      }
      return function.get();
    } finally {
      if (process != null && watch != null) {
        process.self().node().demonitor(watch);
      }
      release(key, me);
    }
  }

  private void acquire(Object key, Waiter me) {
    held.compute(
        key,
        (k, h) -> {
          if (closed) {
            throw new IllegalStateException("registry '" + registry + "' is closed");
          }
          if (h == null) {
            me.state = HOLDING;
            return new Held(me);
          }
          if (h.holder.thread == me.thread) {
            throw new IllegalStateException(
                "registry '"
                    + registry
                    + "': the lock on "
                    + key
                    + " is already held by this "
                    + (me.process != null ? "process" : "thread")
                    + "; lock is not reentrant (waiting for it would wait forever)");
          }
          h.waiting.addLast(me);
          return h;
        });
    boolean interrupted = false;
    while (me.state == WAITING) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        interrupted = true;
        if (me.exited()) {
          giveUp(key, me);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    switch (me.state) {
      case HOLDING -> {}
      case CLOSED -> throw new IllegalStateException("registry '" + registry + "' is closed");
      default -> {
        // DONE: the process exited while waiting (skipped, or gave up above).
        if (me.process != null) {
          throw unwind(me.process);
        }
        throw new IllegalStateException("registry '" + registry + "': lock wait ended");
      }
    }
  }

  /* Takes a waiter whose process exited out of the queue; passes the lock on if it got it. */
  private void giveUp(Object key, Waiter me) {
    held.computeIfPresent(
        key,
        (k, h) -> {
          if (me.state == WAITING) {
            h.waiting.remove(me);
            me.state = DONE;
          }
          return h;
        });
    if (me.state == HOLDING) {
      release(key, me);
    }
  }

  /* Releases the lock if `me` holds it: hands it to the first waiter still alive, if any. */
  private void release(Object key, Waiter me) {
    List<Waiter> wake = new ArrayList<>(1);
    held.computeIfPresent(
        key,
        (k, h) -> {
          if (h.holder != me) {
            return h;
          }
          me.state = DONE;
          Waiter next;
          while ((next = h.waiting.pollFirst()) != null) {
            wake.add(next);
            if (next.exited()) {
              next.state = DONE;
            } else {
              next.state = HOLDING;
              h.holder = next;
              return h;
            }
          }
          return null;
        });
    for (Waiter w : wake) {
      LockSupport.unpark(w.thread);
    }
  }

  /* Ends every wait with IllegalStateException; holders keep their lock until they release it. */
  void close() {
    closed = true;
    for (Object key : held.keySet()) {
      List<Waiter> wake = new ArrayList<>();
      held.computeIfPresent(
          key,
          (k, h) -> {
            for (Waiter w : h.waiting) {
              w.state = CLOSED;
              wake.add(w);
            }
            h.waiting.clear();
            return h;
          });
      for (Waiter w : wake) {
        LockSupport.unpark(w.thread);
      }
    }
  }

  /*
   * The calling process has exited (it was killed, or taken down by a link, while it waited): unwind
   * its thread as a receive would. Its exit reason is set already; exit() does not change it.
   */
  private static RuntimeException unwind(ProcessContext process) {
    process.exit(ExitReason.killed());
    return new IllegalStateException("unreachable: exit() returned");
  }
}

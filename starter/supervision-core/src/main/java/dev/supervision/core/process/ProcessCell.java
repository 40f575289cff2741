package dev.supervision.core.process;

import dev.supervision.core.internal.Deadlines;
import dev.supervision.core.internal.Spin;
import dev.supervision.core.internal.Timeouts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/*
 * One process: a virtual thread, its mailbox, its links and monitors.
 *
 * Death is a single transition of `exitReason` from null to a reason, made under `lock` by
 * whichever thread ends the process: its own thread when the body returns or throws, or another
 * thread that kills it or delivers a fatal exit signal. The winner runs the exit protocol at once,
 * in this order: exit callbacks (registry clean-up), exit signals to linked processes, Down
 * notices to monitoring processes. A process ended from outside is then interrupted, so that its
 * thread unwinds at its next receive (or at once if it is parked in one). The JVM cannot stop a
 * thread that ignores interrupts; such a thread keeps running user code but its process is dead
 * for everybody else: it is unregistered, its links and monitors have fired and its sends to
 * itself are dropped.
 */
final class ProcessCell implements Pid, ProcessContext, Spin.Delivery {
  private static final System.Logger LOG = System.getLogger(ProcessCell.class.getName());
  private static final AtomicLong IDS = new AtomicLong();
  /*
   * Live processes by their thread: current() looks itself up here. Not a ThreadLocal, whose map
   * would cost every virtual thread about 136 bytes of heap; this costs one map node (32 bytes),
   * which also serves each node's list of its processes. Put before the thread starts, removed
   * after the exit protocol.
   */
  private static final ConcurrentHashMap<Thread, ProcessCell> LIVE = new ConcurrentHashMap<>();
  private static final ProcessExitedError EXITED = new ProcessExitedError();
  /* The monitors of a process whose exit protocol has finished: none can be added. */
  private static final ArrayList<MonitorRef> MONITORS_CLOSED = new ArrayList<>(0);

  private static final int LINK_LIST_LIMIT = 8;

  /* Spin-before-park bounds for receive, as powers of two in ns; see take(). */
  private static final int MIN_SPIN_SHIFT = 10;
  private static final int MAX_SPIN_SHIFT = spinShiftOf(Spin.NANOS);

  private final long id;
  private final Node node;
  private final @Nullable String label;
  private final Thread thread;
  private final ProcessBody body;
  private final Mailbox mailbox = new Mailbox();
  private final ReentrantLock lock = new ReentrantLock();

  /* Owner thread only: messages skipped by a selective receive, in arrival order. */
  private @Nullable ArrayDeque<Object> saved;

  private volatile boolean trapExits;

  /* Owner thread only: log2 of the spin before parking in receive, in ns; 0 for none. See take. */
  private byte spinShift;
  /* log2 of this process's spin ceiling, at most MAX_SPIN_SHIFT; 0 for none. See take. */
  private final byte spinCeiling;
  private volatile @Nullable ExitReason exitReason;

  /* Guarded by lock; null once dead. */
  /* A small list, turned into a set once a process has many links (a supervisor of thousands). */
  private @Nullable Collection<ProcessCell> links;
  /*
   * Guarded by lock. Monitors added while the exit protocol runs are collected here too and served
   * by end() after the earlier ones; MONITORS_CLOSED once end() has served them all.
   */
  private @Nullable ArrayList<MonitorRef> monitors;

  ProcessCell(Node node, @Nullable String label, ProcessBody body) {
    this.id = IDS.incrementAndGet();
    this.node = node;
    this.label = label;
    this.body = body;
    this.spinCeiling =
        (byte)
            (body instanceof Spin.Bounded bounded
                ? Math.min(MAX_SPIN_SHIFT, spinShiftOf(bounded.spinNanos()))
                : MAX_SPIN_SHIFT);
    this.thread = Thread.ofVirtual().unstarted(this::run);
  }

  /* log2 of a spin ceiling in ns; one below 2^MIN_SPIN_SHIFT turns receive spinning off. */
  private static int spinShiftOf(long nanos) {
    if (nanos < 1L << MIN_SPIN_SHIFT) {
      return 0;
    }
    return Math.min(30, 63 - Long.numberOfLeadingZeros(nanos));
  }

  static @Nullable ProcessCell current() {
    return LIVE.get(Thread.currentThread());
  }

  static Collection<ProcessCell> live() {
    return LIVE.values();
  }

  void track() {
    LIVE.put(thread, this);
  }

  void untrack() {
    LIVE.remove(thread, this);
  }

  void start() {
    thread.start();
  }

  Thread thread() {
    return thread;
  }

  private void run() {
    ExitReason reason = ExitReason.normal();
    try {
      body.run(this);
    } catch (ProcessExitedError e) {
      reason = ExitReason.killed(); // only used if, impossibly, not dead yet
    } catch (VirtualMachineError e) {
      end(ExitReason.crashed(e));
      node.untrack(this);
      throw e;
    } catch (Throwable e) {
      reason = ExitReason.crashed(e);
    }
    end(reason);
    node.untrack(this);
  }

  // ---------------------------------------------------------------- Pid

  @Override
  public long id() {
    return id;
  }

  @Override
  public Node node() {
    return node;
  }

  @Override
  public boolean isAlive() {
    return exitReason == null;
  }

  @Override
  public Optional<ExitReason> exitReason() {
    return Optional.ofNullable(exitReason);
  }

  @Override
  public int mailboxDepth() {
    return mailbox.size();
  }

  @Override
  public Optional<String> label() {
    return Optional.ofNullable(label);
  }

  @Override
  public Optional<Name> registeredName() {
    return Optional.ofNullable(body.registeredName());
  }

  @Override
  public void send(Object message) {
    deliver(message);
  }

  @Override
  public int deliver(Object message) {
    Objects.requireNonNull(message, "message");
    if (exitReason != null) {
      return 0;
    }
    int outcome = mailbox.offer(message);
    if ((outcome & Spin.Delivery.WOKE) != 0) {
      LockSupport.unpark(thread);
    }
    return outcome;
  }

  @Override
  public String toString() {
    return label == null
        ? "<" + node.id() + "." + id + ">"
        : "<" + node.id() + "." + id + " " + label + ">";
  }

  // ---------------------------------------------------------------- ProcessContext

  @Override
  public Pid self() {
    return this;
  }

  private void checkOwner() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException(
          "ProcessContext of "
              + this
              + " used from "
              + Thread.currentThread()
              + "; it may only be used on the process's own thread");
    }
  }

  @Override
  public Object receive() {
    checkOwner();
    checkAlive();
    ArrayDeque<Object> s = saved;
    if (s != null && !s.isEmpty()) {
      return s.pollFirst();
    }
    Object message = take(-1L);
    return Objects.requireNonNull(message);
  }

  @Override
  public @Nullable Object receive(Duration timeout) {
    checkOwner();
    long nanos = Timeouts.nanos(timeout);
    checkAlive();
    ArrayDeque<Object> s = saved;
    if (s != null && !s.isEmpty()) {
      return s.pollFirst();
    }
    return take(nanos);
  }

  @Override
  public @Nullable Object receive(Predicate<Object> match, Duration timeout) {
    checkOwner();
    Objects.requireNonNull(match, "match");
    long nanos = Timeouts.nanos(timeout);
    checkAlive();
    ArrayDeque<Object> s = saved;
    if (s != null) {
      for (Iterator<Object> it = s.iterator(); it.hasNext(); ) {
        Object candidate = it.next();
        if (match.test(candidate)) {
          it.remove();
          return candidate;
        }
      }
    }
    long deadline = System.nanoTime() + nanos;
    while (true) {
      long remaining = nanos == 0 ? 0 : Math.max(0, deadline - System.nanoTime());
      Object message = take(remaining);
      if (message == null) {
        return null;
      }
      if (match.test(message)) {
        return message;
      }
      if (s == null) {
        s = new ArrayDeque<>();
        saved = s;
      }
      s.addLast(message);
    }
  }

  /*
   * Owner only. take() unwinds a dead process, but messages set aside by a selective receive are
   * served without calling it: without this check a killed process would go on handling them.
   */
  private void checkAlive() {
    if (exitReason != null) {
      throw EXITED;
    }
  }

  /*
   * Owner only. timeoutNanos < 0: forever; 0: do not wait.
   *
   * Before parking, a process that has lately been woken soon after it went to sleep spins for a
   * while, polling its mailbox. A message that arrives during the spin is taken without a park and
   * an unpark: on a 2-core machine that is the difference between a call round trip of about one
   * microsecond and one of several, because a wake-up goes through the virtual thread scheduler and
   * often wakes an idle carrier thread. The spin is adaptive, as HotSpot's spinning on contended
   * monitors is: its length (spinShift, a power of two in nanoseconds, 0 for none) doubles after a
   * spin that caught a message, halves after one that did not, and is learnt from how long a park
   * lasted: a process whose messages come rarely never spins. The ceiling is spinCeiling: that of
   * Spin.NANOS (system property dev.supervision.spinNanos, default 16384 ns; 0 turns spinning off),
   * or lower for a body that is Spin.Bounded (a supervisor).
   */
  private @Nullable Object take(long timeoutNanos) {
    long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0L;
    boolean spun = false;
    long parkedAt = 0L;
    Deadlines.@Nullable Timeout armed = null;
    try {
      while (true) {
        if (exitReason != null) {
          throw EXITED;
        }
        if (timeoutNanos == 0) {
          return mailbox.pollExact(); // must not miss a message whose sender is mid-append
        }
        Object message = mailbox.poll();
        if (message != null) {
          if (parkedAt != 0L) {
            learnSpin(System.nanoTime() - parkedAt);
          }
          return message;
        }
        if (!spun) {
          spun = true;
          if (spinShift > 0) {
            long budget = 1L << spinShift;
            if (timeoutNanos > 0) {
              budget = Math.min(budget, deadline - System.nanoTime());
            }
            message = spin(budget);
            if (message != null) {
              return message;
            }
            continue;
          }
        }
        if (parkedAt == 0L) {
          parkedAt = System.nanoTime() | 1L;
        }
        if (timeoutNanos > 0) {
          // Parks untimed: Deadlines wakes it (see there for why not parkNanos).
          if (deadline - System.nanoTime() <= 0) {
            return null;
          }
          if (armed == null && timeoutNanos < Timeouts.INFINITE) {
            armed = Deadlines.arm(deadline);
          }
        }
        if (!mailbox.prepareToSleep()) {
          continue; // a message came after the poll
        }
        LockSupport.park(this);
        mailbox.awake();
        if (Thread.interrupted() && exitReason != null) {
          throw EXITED;
        }
      }
    } finally {
      if (armed != null) {
        armed.disarm();
      }
    }
  }

  /* Owner only: polls the mailbox for up to `budget` ns; adapts the spin's length to the outcome. */
  private @Nullable Object spin(long budget) {
    int shift = spinShift;
    long end = System.nanoTime() + budget;
    for (int i = 1; ; i++) {
      Thread.onSpinWait();
      Object message = mailbox.poll();
      if (message != null) {
        if (shift < spinCeiling) {
          spinShift = (byte) (shift + 1);
        }
        return message;
      }
      if ((i & 15) == 0 && (exitReason != null || System.nanoTime() - end >= 0)) {
        spinShift = (byte) (shift > MIN_SPIN_SHIFT ? shift - 1 : 0);
        return null;
      }
    }
  }

  /*
   * Owner only: a park ended by a message after `waited` ns (wake-up latency included, which is
   * why parks up to four times the ceiling count): a spin of twice that would have caught it.
   */
  private void learnSpin(long waited) {
    int ceiling = spinCeiling;
    if (ceiling == 0 || waited >= 1L << (ceiling + 2)) {
      return;
    }
    int shift = Math.max(MIN_SPIN_SHIFT, 65 - Long.numberOfLeadingZeros(waited));
    if (shift > spinShift) {
      spinShift = (byte) Math.min(shift, ceiling);
    }
  }

  /** Owner only: hands every message still queued (set aside ones first) to {@code sink}. */
  @Override
  public void drainMailbox(Consumer<Object> sink) {
    checkOwner();
    ArrayDeque<Object> s = saved;
    if (s != null) {
      Object message;
      while ((message = s.pollFirst()) != null) {
        sink.accept(message);
      }
    }
    Object message;
    while ((message = mailbox.pollExact()) != null) {
      sink.accept(message);
    }
  }

  @Override
  public void trapExits(boolean trap) {
    checkOwner();
    this.trapExits = trap;
  }

  @Override
  public boolean trapsExits() {
    return trapExits;
  }

  @Override
  public void link(Pid other) {
    checkOwner();
    linkCells(this, cell(other));
  }

  /* Links two processes; either may be the caller. */
  static void linkCells(ProcessCell a, ProcessCell b) {
    if (a == b) {
      return;
    }
    if (!a.addLink(b)) {
      return; // a is dead: nothing to link
    }
    if (!b.addLink(a)) {
      a.removeLink(b);
      a.exitSignal(b, ExitReason.noProc(), false);
    }
  }

  private boolean addLink(ProcessCell other) {
    lock.lock();
    try {
      if (exitReason != null) {
        return false;
      }
      Collection<ProcessCell> l = links;
      if (l == null) {
        l = new ArrayList<>(2);
        links = l;
      } else if (l instanceof ArrayList<ProcessCell> && l.size() >= LINK_LIST_LIMIT) {
        l = new LinkedHashSet<>(l);
        links = l;
      }
      if (!l.contains(other)) {
        l.add(other);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void removeLink(ProcessCell other) {
    lock.lock();
    try {
      Collection<ProcessCell> l = links;
      if (l != null) {
        l.remove(other);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void unlink(Pid other) {
    checkOwner();
    ProcessCell o = cell(other);
    removeLink(o);
    o.removeLink(this);
  }

  @Override
  public MonitorRef monitor(Pid other) {
    checkOwner();
    ProcessCell target = cell(other);
    MonitorRef ref = new MonitorRef(target, this, null);
    if (target.exitReason != null || !target.addMonitor(ref)) { // dead or dying: noproc, as in OTP
      send(new Down(ref, target, ExitReason.noProc()));
    }
    return ref;
  }

  /*
   * False once the exit protocol has finished. A monitor added while it runs is served after the
   * ones added before, so that its callback runs once theirs have (a registry's, which frees the
   * process's names, for one) and not at once on the adding thread, ahead of them.
   */
  boolean addMonitor(MonitorRef ref) {
    lock.lock();
    try {
      if (monitors == MONITORS_CLOSED) {
        return false;
      }
      ArrayList<MonitorRef> m = monitors;
      if (m == null) {
        m = new ArrayList<>(2);
        monitors = m;
      }
      m.add(ref);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /*
   * Removes ref; returns false if it was not set. Then, if this process has died, its Down notice
   * either went out before this call took the lock (a demonitor flushes it) or is never sent: end()
   * sends Down notices under the lock and skips cancelled refs.
   */
  boolean removeMonitor(MonitorRef ref) {
    lock.lock();
    try {
      ArrayList<MonitorRef> m = monitors;
      if (m != null && m.remove(ref)) {
        return true;
      }
      ref.cancelled = true;
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void demonitor(MonitorRef ref) {
    checkOwner();
    if (ref.watcher != this) {
      return;
    }
    if (!ref.target.removeMonitor(ref)) {
      // Already fired (or never set): drop its Down notice if it arrived.
      receive(m -> m instanceof Down d && d.ref() == ref, Duration.ZERO);
    }
  }

  @Override
  public Pid spawn(ProcessBody body) {
    checkOwner();
    return node.spawn(body);
  }

  @Override
  public Pid spawnLink(ProcessBody body) {
    checkOwner();
    return node.spawnLinked(this, null, body);
  }

  @Override
  public Pid spawnLink(String label, ProcessBody body) {
    checkOwner();
    return node.spawnLinked(this, label, body);
  }

  @Override
  public void exit(ExitReason reason) {
    checkOwner();
    Objects.requireNonNull(reason, "reason");
    end(reason);
    throw EXITED;
  }

  // ---------------------------------------------------------------- signals and death

  /** Delivers an exit signal from {@code from} (null: from outside any process). */
  void exitSignal(@Nullable ProcessCell from, ExitReason reason, boolean kill) {
    if (exitReason != null) {
      return;
    }
    if (kill) {
      endFromOutside(ExitReason.killed());
    } else if (trapExits) {
      send(new Exit(from, reason));
    } else if (reason instanceof ExitReason.Normal) {
      if (from == this) {
        endFromOutside(reason);
      }
    } else {
      endFromOutside(reason);
    }
  }

  private void endFromOutside(ExitReason reason) {
    if (end(reason) && Thread.currentThread() != thread) {
      thread.interrupt();
    }
  }

  /* Ends the process with reason unless it has ended already; returns whether this call did. */
  boolean end(ExitReason reason) {
    Collection<ProcessCell> linked;
    ArrayList<MonitorRef> watchers;
    lock.lock();
    try {
      if (exitReason != null) {
        return false;
      }
      exitReason = reason;
      linked = links;
      watchers = monitors;
      links = null;
      monitors = null;
    } finally {
      lock.unlock();
    }
    if (watchers != null) {
      runCallbacks(watchers, reason);
    }
    if (linked != null) {
      for (ProcessCell other : linked) {
        other.removeLink(this);
        other.exitSignal(this, reason, false);
      }
    }
    if (watchers != null) {
      sendDowns(watchers, reason);
    }
    while (true) { // monitors added while the above ran
      lock.lock();
      try {
        watchers = monitors;
        if (watchers == null) {
          monitors = MONITORS_CLOSED;
          break;
        }
        monitors = null;
      } finally {
        lock.unlock();
      }
      runCallbacks(watchers, reason);
      sendDowns(watchers, reason);
    }
    if (reason instanceof ExitReason.Crashed crashed && label != null) {
      LOG.log(System.Logger.Level.DEBUG, () -> this + " crashed", crashed.error());
    }
    return true;
  }

  List<ProcessCell> linksSnapshot() {
    lock.lock();
    try {
      Collection<ProcessCell> l = links;
      return l == null ? List.of() : List.copyOf(l);
    } finally {
      lock.unlock();
    }
  }

  private void runCallbacks(ArrayList<MonitorRef> watchers, ExitReason reason) {
    for (MonitorRef ref : watchers) {
      ExitCallback callback = ref.callback;
      if (callback != null) {
        try {
          callback.exited(this, reason);
        } catch (RuntimeException | LinkageError | AssertionError e) {
          LOG.log(System.Logger.Level.WARNING, "exit callback for " + this + " failed", e);
        }
      }
    }
  }

  private void sendDowns(ArrayList<MonitorRef> watchers, ExitReason reason) {
    lock.lock(); // see removeMonitor; send never blocks
    try {
      for (MonitorRef ref : watchers) {
        ProcessCell watcher = ref.watcher;
        if (watcher != null && !ref.cancelled) {
          watcher.send(new Down(ref, this, reason));
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /* Waits for the thread to finish; true at once if it never started (a spawn refused by close). */
  boolean awaitThread(long timeoutNanos) throws InterruptedException {
    if (thread.getState() == Thread.State.NEW) {
      return true;
    }
    return thread.join(Duration.ofNanos(timeoutNanos));
  }

  static ProcessCell cell(Pid pid) {
    return (ProcessCell) Objects.requireNonNull(pid, "pid");
  }
}

package dev.supervision.core.supervisor;

import dev.supervision.core.process.Down;
import dev.supervision.core.process.Exit;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.server.StartException;
import dev.supervision.core.server.StartIgnoredException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/*
 * Starting and stopping children, shared by both kinds of supervisor. Everything here runs in the
 * supervisor's own process.
 *
 * Stopping follows OTP's shutdown protocol: monitor the child, unlink it and flush an EXIT that
 * may already be queued (so a child that unlinked itself cannot hang us and no stale EXIT is
 * taken for a crash), send the exit signal, wait for the DOWN, kill after the timeout.
 */
final class Children {
  private static final Duration FOREVER = Duration.ofDays(365 * 100);

  private Children() {}

  /*
   * Starts a child and links it; null when its start ended in ignore. `arguments` are a dynamic
   * supervisor's extra arguments, for a start that takes them (checked by the caller before).
   */
  static @Nullable Pid start(ProcessContext self, ChildSpec spec, @Nullable Object arguments)
      throws Exception {
    Pid pid;
    try {
      pid = spec.start() instanceof ArgumentsStart<?> a ? a.start(arguments) : spec.start().start();
    } catch (StartIgnoredException e) {
      return null;
    }
    if (pid == null) {
      throw new IllegalStateException(
          "start function of child '" + spec.id() + "' returned no process");
    }
    /* Usually linked already by startLink; linking again would scan our links (O(children)). */
    if (!self.node().links(pid).contains(self.self())) {
      self.link(pid);
    }
    return pid;
  }

  /*
   * Called with whatever a start function threw, before taking it for a failed start: OTP runs
   * start functions under `catch`, so an Error (an AssertionError, an ExceptionInInitializerError)
   * fails that one start as an exception does. Rethrown: a VirtualMachineError, never supervised,
   * and an Error unwinding this supervisor because it was killed while the start ran.
   */
  static void rethrowIfFatal(ProcessContext self, Throwable failure) {
    if (failure instanceof VirtualMachineError e) {
      throw e;
    }
    if (failure instanceof Error e && !self.self().isAlive()) {
      throw e;
    }
  }

  /*
   * A failed startChild: OTP answers {already_started, Pid}, unwrapped, when the start found the
   * child's name taken, and {error, Reason} otherwise.
   */
  static ChildException startFailed(String id, Throwable e) {
    if (e instanceof StartException s && s.alreadyStarted().isPresent()) {
      return new ChildException.AlreadyStarted(id, s.alreadyStarted().get(), e);
    }
    return new ChildException.StartFailed(id, e);
  }

  static ExitReason stop(ProcessContext self, Pid pid, Shutdown shutdown) {
    MonitorRef ref = prepare(self, pid);
    signal(self, pid, shutdown);
    Down down =
        switch (shutdown) {
          case Shutdown.BrutalKill k -> awaitDown(self, ref, null);
          case Shutdown.Infinity i -> awaitDown(self, ref, null);
          case Shutdown.Timeout t -> {
            Down d = awaitDown(self, ref, t.timeout());
            if (d == null) {
              self.node().kill(pid);
              d = awaitDown(self, ref, null);
            }
            yield d;
          }
        };
    return down == null ? ExitReason.killed() : down.reason();
  }

  /*
   * Stops several children at once (dynamic supervisors): total time ~ the longest timeout.
   *
   * Linear in the number of children (a dynamic supervisor may have 100,000): every child is
   * monitored, unlinked and signalled first; then one timer runs per distinct timeout, started
   * once all are signalled (as Elixir's DynamicSupervisor does), and Down notices are taken in
   * arrival order. There is no flush per child, which would rescan the set-aside messages once per
   * child: an EXIT a child sent before it was unlinked is consumed and dropped by the same wait.
   */
  static Map<Pid, ExitReason> stopAll(ProcessContext self, List<Child> children) {
    Map<MonitorRef, Pid> pending = new HashMap<>();
    Set<Pid> stopping = new HashSet<>();
    Map<Duration, List<MonitorRef>> byTimeout = new HashMap<>();
    for (Child child : children) {
      Pid pid = child.pid;
      if (pid == null) {
        continue;
      }
      MonitorRef ref = self.monitor(pid);
      self.unlink(pid);
      pending.put(ref, pid);
      stopping.add(pid);
      if (child.spec.shutdown() instanceof Shutdown.Timeout t) {
        byTimeout.computeIfAbsent(t.timeout(), k -> new ArrayList<>()).add(ref);
      }
      signal(self, pid, child.spec.shutdown());
    }
    long signalled = System.nanoTime();
    TreeMap<Long, List<MonitorRef>> timers = new TreeMap<>();
    byTimeout.forEach(
        (timeout, refs) ->
            timers
                .computeIfAbsent(deadline(signalled, timeout), k -> new ArrayList<>())
                .addAll(refs));
    Map<Pid, ExitReason> reasons = new HashMap<>();
    while (!pending.isEmpty()) {
      Map.Entry<Long, List<MonitorRef>> timer = timers.firstEntry();
      Duration wait =
          timer == null
              ? FOREVER
              : Duration.ofNanos(Math.max(0, timer.getKey() - System.nanoTime()));
      Object message =
          self.receive(
              m ->
                  (m instanceof Down d && pending.containsKey(d.ref()))
                      || (m instanceof Exit e && stopping.contains(e.from())),
              wait);
      if (message instanceof Down down) {
        pending.remove(down.ref());
        reasons.put(down.pid(), down.reason());
      } else if (message == null && timer != null) {
        timers.remove(timer.getKey());
        for (MonitorRef ref : timer.getValue()) {
          if (pending.containsKey(ref)) {
            self.node().kill(ref.target());
          }
        }
      }
      // Otherwise an EXIT sent before the unlink: dropped.
    }
    return reasons;
  }

  private static long deadline(long from, Duration timeout) {
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE / 2;
    }
    return from + Math.min(nanos, Long.MAX_VALUE / 2);
  }

  private static MonitorRef prepare(ProcessContext self, Pid pid) {
    MonitorRef ref = self.monitor(pid);
    self.unlink(pid);
    while (self.receive(m -> m instanceof Exit e && e.from() == pid, Duration.ZERO) != null) {
      // flushed
    }
    return ref;
  }

  private static void signal(ProcessContext self, Pid pid, Shutdown shutdown) {
    if (shutdown instanceof Shutdown.BrutalKill) {
      self.node().kill(pid);
    } else {
      self.node().exit(pid, ExitReason.shutdown());
    }
  }

  private static @Nullable Down awaitDown(
      ProcessContext self, MonitorRef ref, @Nullable Duration timeout) {
    Duration wait = timeout == null ? FOREVER : timeout;
    while (true) {
      Object message = self.receive(m -> m instanceof Down d && d.ref() == ref, wait);
      if (message instanceof Down down) {
        return down;
      }
      if (timeout != null) {
        return null;
      }
    }
  }
}

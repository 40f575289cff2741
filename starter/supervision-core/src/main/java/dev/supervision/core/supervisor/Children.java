package dev.supervision.core.supervisor;

import dev.supervision.core.process.Down;
import dev.supervision.core.process.Exit;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private static final System.Logger LOG = System.getLogger(Children.class.getName());

  private Children() {}

  static Pid start(ProcessContext self, ChildSpec spec) throws Exception {
    Pid pid = spec.start().start();
    if (pid == null) {
      throw new IllegalStateException(
          "start function of child '" + spec.id() + "' returned no process");
    }
    self.link(pid);
    return pid;
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
    ExitReason reason = down == null ? ExitReason.killed() : down.reason();
    logUnexpected(pid, reason);
    return reason;
  }

  /* Stops several children at once (dynamic supervisors): total time ~ the longest timeout. */
  static Map<Pid, ExitReason> stopAll(ProcessContext self, List<Child> children) {
    Map<MonitorRef, Child> pending = new HashMap<>();
    Map<MonitorRef, Long> deadlines = new HashMap<>();
    long now = System.nanoTime();
    for (Child child : children) {
      Pid pid = child.pid;
      if (pid == null) {
        continue;
      }
      MonitorRef ref = prepare(self, pid);
      pending.put(ref, child);
      if (child.spec.shutdown() instanceof Shutdown.Timeout t) {
        deadlines.put(ref, now + t.timeout().toNanos());
      }
      signal(self, pid, child.spec.shutdown());
    }
    Map<Pid, ExitReason> reasons = new HashMap<>();
    while (!pending.isEmpty()) {
      long next = Long.MAX_VALUE;
      for (Map.Entry<MonitorRef, Long> d : deadlines.entrySet()) {
        if (pending.containsKey(d.getKey())) {
          next = Math.min(next, d.getValue());
        }
      }
      Duration wait =
          next == Long.MAX_VALUE
              ? Duration.ofDays(365)
              : Duration.ofNanos(Math.max(0, next - System.nanoTime()));
      Object message = self.receive(m -> m instanceof Down d && pending.containsKey(d.ref()), wait);
      if (message instanceof Down down) {
        pending.remove(down.ref());
        reasons.put(down.pid(), down.reason());
        logUnexpected(down.pid(), down.reason());
      } else {
        long t = System.nanoTime();
        for (MonitorRef ref : new ArrayList<>(pending.keySet())) {
          Long deadline = deadlines.get(ref);
          if (deadline != null && deadline <= t) {
            deadlines.remove(ref);
            self.node().kill(ref.target());
          }
        }
      }
    }
    return reasons;
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
    Duration wait = timeout == null ? Duration.ofDays(365 * 100) : timeout;
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

  private static void logUnexpected(Pid pid, ExitReason reason) {
    if (!(reason instanceof ExitReason.Shutdown) && !(reason instanceof ExitReason.Killed)) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "child {0} exited with {1} while being shut down",
          pid,
          reason);
    }
  }
}

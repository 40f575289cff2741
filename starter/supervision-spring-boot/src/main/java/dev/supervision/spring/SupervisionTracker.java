package dev.supervision.spring;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.event.SupervisionListener;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildState;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.SupervisorDirectory;
import dev.supervision.core.supervisor.SupervisorHandle;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A live, cheap view of a node's supervisors, kept up to date from its {@link EventBus}: restart
 * and escalation counts, last failures, running children and registry sizes. Health and metrics
 * read it instead of calling into supervisors.
 *
 * <p>Supervisors are keyed by name (several supervisors with one name share an entry); a dynamic
 * supervisor's children by their spec id, so the number of entries stays bounded, and a child its
 * supervisor dropped is forgotten once no running child has its id, so that children started with
 * ids of their own do not pile up either. Reads are lock-free; the few that need a supervisor's
 * full state ({@link SupervisorStats#snapshot()}) inspect it at most once per change, with a
 * timeout, and cache the answer. Counts are cumulative for the life of the tracker. Listener
 * callbacks run on the supervisors' threads and never block.
 */
public final class SupervisionTracker implements SupervisionListener, AutoCloseable {
  static final Duration INSPECT_TIMEOUT = Duration.ofMillis(500);
  static final long MIN_REFRESH_NANOS = Duration.ofMillis(200).toNanos();

  private static final ThreadLocal<Boolean> INTROSPECTING = ThreadLocal.withInitial(() -> false);

  private final EventBus bus;
  private final ConcurrentHashMap<String, SupervisorStats> supervisors = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> registries = new ConcurrentHashMap<>();

  /** A tracker subscribed to {@code node}'s events; create it before the tree starts. */
  public SupervisionTracker(Node node) {
    this.bus = EventBus.of(node);
    bus.subscribe(this);
  }

  @Override
  public void onEvent(SupervisionEvent event) {
    switch (event) {
      case SupervisionEvent.SupervisorStarted e -> stats(e.supervisor()).started(e.pid());
      case SupervisionEvent.SupervisorStopped e -> stats(e.supervisor()).stopped(e.pid());
      case SupervisionEvent.ChildStarted e ->
          stats(e.supervisor()).childStarted(e.child(), e.pid());
      case SupervisionEvent.ChildExited e ->
          stats(e.supervisor())
              .childExited(
                  e.child(),
                  e.pid(),
                  // stopped by its supervisor: not a failure, whatever the protocol's reason
                  e.terminated() ? ExitReason.shutdown() : e.reason(),
                  e.removed(),
                  e.at());
      case SupervisionEvent.ChildRestarted e ->
          stats(e.supervisor()).childRestarted(e.child(), e.pid());
      case SupervisionEvent.ChildStartFailed e ->
          stats(e.supervisor()).childStartFailed(e.child(), e.error(), e.at());
      case SupervisionEvent.IntensityExceeded e -> stats(e.supervisor()).escalated(e.at());
      case SupervisionEvent.ChildIgnored e -> {
        if (!e.kept()) {
          stats(e.supervisor()).forgetIfIdle(e.child());
        }
      }
      case SupervisionEvent.ChildBackingOff e -> {} // its state is read from the supervisor
      case SupervisionEvent.EntryRegistered e -> registry(e.registry()).incrementAndGet();
      case SupervisionEvent.EntryRemoved e -> registry(e.registry()).decrementAndGet();
    }
  }

  private SupervisorStats stats(String name) {
    return supervisors.computeIfAbsent(name, SupervisorStats::new);
  }

  private AtomicLong registry(String name) {
    return registries.computeIfAbsent(name, n -> new AtomicLong());
  }

  /** Every supervisor seen so far. */
  public Collection<SupervisorStats> supervisors() {
    return List.copyOf(supervisors.values());
  }

  /** The supervisor named {@code name}, if it has been seen. */
  public @Nullable SupervisorStats supervisor(String name) {
    return supervisors.get(name);
  }

  /**
   * The entry for {@code name}, created if it has not been seen yet (so meters can be registered
   * before the tree starts).
   */
  public SupervisorStats expect(String name) {
    return stats(name);
  }

  /** Live entries of the registry named {@code name}, as counted from its events. */
  public long registryEntries(String name) {
    AtomicLong n = registries.get(name);
    return n == null ? 0 : Math.max(0, n.get());
  }

  /** Unsubscribes from the node's events. */
  @Override
  public void close() {
    bus.unsubscribe(this);
  }

  /**
   * Runs {@code call}, a call into a supervisor made to observe it (health, metrics, the endpoint),
   * marked so that the {@code supervision.calls} timer leaves it out.
   */
  public static <T> T introspect(Supplier<T> call) {
    if (INTROSPECTING.get()) {
      return call.get();
    }
    INTROSPECTING.set(true);
    try {
      return call.get();
    } finally {
      INTROSPECTING.remove();
    }
  }

  /** Whether the current thread is inside {@link #introspect(Supplier)}. */
  public static boolean isIntrospecting() {
    return INTROSPECTING.get();
  }

  /**
   * A short, bounded word for an exit reason, used as a metric tag: the exception's simple class
   * name for a crash, else {@code normal}, {@code shutdown}, {@code killed} or {@code noproc}.
   */
  public static String reasonTag(ExitReason reason) {
    return switch (reason) {
      case ExitReason.Normal n -> "normal";
      case ExitReason.Shutdown s -> "shutdown";
      case ExitReason.Killed k -> "killed";
      case ExitReason.NoProc p -> "noproc";
      case ExitReason.Crashed c -> errorTag(c.error());
    };
  }

  private static String errorTag(Throwable error) {
    String simple = error.getClass().getSimpleName();
    if (!simple.isEmpty()) {
      return simple;
    }
    String name = error.getClass().getName();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /**
   * A failure of a child: an exit that was not normal or shutdown, or a failed start.
   *
   * @param child the child's id
   * @param reason why it exited ({@link ExitReason.Crashed} for a failed start)
   * @param at when
   */
  public record Failure(String child, ExitReason reason, Instant at) {

    /** {@link SupervisionTracker#reasonTag(ExitReason)} of the reason. */
    public String reasonTag() {
      return SupervisionTracker.reasonTag(reason);
    }
  }

  /** What the tracker knows about one supervisor (by name). Thread-safe. */
  public static final class SupervisorStats {
    private final String name;
    private final ConcurrentHashMap<Pid, String> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ChildStats> children = new ConcurrentHashMap<>();
    private final LongAdder restarts = new LongAdder();
    private final LongAdder escalations = new LongAdder();
    private final AtomicLong version = new AtomicLong();
    private volatile @Nullable Pid pid;
    private volatile boolean gaveUp;
    private volatile @Nullable Instant lastEscalation;
    private volatile @Nullable Failure lastFailure;
    private volatile @Nullable Cached cached;

    SupervisorStats(String name) {
      this.name = name;
    }

    void started(Pid pid) {
      this.pid = pid;
      gaveUp = false;
      version.incrementAndGet();
    }

    void stopped(Pid pid) {
      live.forEach(
          (child, id) -> {
            if (!child.isAlive() && live.remove(child, id)) {
              ChildStats stats = children.get(id);
              if (stats != null) {
                stats.running.decrementAndGet();
              }
            }
          });
      version.incrementAndGet();
    }

    void childStarted(String child, Pid childPid) {
      child(child).running.incrementAndGet();
      live.put(childPid, child);
      version.incrementAndGet();
    }

    void childExited(String child, Pid childPid, ExitReason reason, boolean removed, Instant at) {
      ChildStats stats = child(child);
      if (live.remove(childPid) != null) {
        stats.running.decrementAndGet();
      }
      if (!reason.isClean()) {
        Failure failure = new Failure(child, reason, at);
        stats.lastFailure = failure;
        lastFailure = failure;
      }
      if (removed) {
        forgetIfIdle(child);
      }
      version.incrementAndGet();
    }

    void childRestarted(String child, Pid childPid) {
      ChildStats stats = child(child);
      stats.restarts.increment();
      stats.running.incrementAndGet();
      restarts.increment();
      live.put(childPid, child);
      version.incrementAndGet();
    }

    /*
     * Recorded on the child only if it is known: a start that a caller asked for and that failed
     * leaves no child behind (a restart that failed is of a child that ran).
     */
    void childStartFailed(String child, Throwable error, Instant at) {
      Failure failure = new Failure(child, ExitReason.crashed(error), at);
      ChildStats stats = children.get(child);
      if (stats != null) {
        stats.lastFailure = failure;
      }
      lastFailure = failure;
      version.incrementAndGet();
    }

    /*
     * Forgets a child its supervisor dropped, unless a process with its id still runs (the
     * children a dynamic supervisor starts from one spec share its id).
     */
    void forgetIfIdle(String child) {
      ChildStats stats = children.get(child);
      if (stats != null && stats.running.get() <= 0) {
        children.remove(child, stats);
      }
    }

    void escalated(Instant at) {
      escalations.increment();
      lastEscalation = at;
      gaveUp = true;
      version.incrementAndGet();
    }

    private ChildStats child(String id) {
      return children.computeIfAbsent(id, ChildStats::new);
    }

    /** The supervisor's name. */
    public String name() {
      return name;
    }

    /** Its latest process, alive or not; {@code null} before it first started. */
    public @Nullable Pid pid() {
      return pid;
    }

    /** Whether its latest process is alive. */
    public boolean isRunning() {
      Pid p = pid;
      return p != null && p.isAlive();
    }

    /**
     * Whether it gave up (more restarts than its intensity allows) and has not been started again
     * since.
     */
    public boolean hasGivenUp() {
      return gaveUp;
    }

    /** Restarts of its children, in total. */
    public long restarts() {
      return restarts.sum();
    }

    /** How many times it gave up. */
    public long escalations() {
      return escalations.sum();
    }

    /** When it last gave up, if ever. */
    public @Nullable Instant lastEscalation() {
      return lastEscalation;
    }

    /** The latest failure among its children, if any. */
    public @Nullable Failure lastFailure() {
      return lastFailure;
    }

    /**
     * Its children by id (a dynamic supervisor's by spec id), in no particular order. A child its
     * supervisor dropped (a temporary child that ended; a dynamic supervisor's child that was
     * terminated or not restarted) is forgotten once no running child has its id.
     */
    public Collection<ChildStats> children() {
      return List.copyOf(children.values());
    }

    /** The child with {@code id}, if seen. */
    public @Nullable ChildStats childStats(String id) {
      return children.get(id);
    }

    /** Children whose process is alive, as seen from events. */
    public int runningChildren() {
      return live.size();
    }

    /** Messages waiting in the mailboxes of its running children, in total. */
    public long mailboxDepth() {
      long sum = 0;
      for (Pid p : live.keySet()) {
        sum += p.mailboxDepth();
      }
      return sum;
    }

    /**
     * Its children by state: from the cached {@link #snapshot()} while it runs, else the running
     * children seen from events.
     */
    public Map<ChildState, Integer> childrenByState() {
      EnumMap<ChildState, Integer> counts = new EnumMap<>(ChildState.class);
      for (ChildState state : ChildState.values()) {
        counts.put(state, 0);
      }
      SupervisorSnapshot s = isRunning() ? snapshot() : null;
      if (s == null) {
        counts.put(ChildState.RUNNING, live.size());
      } else {
        for (ChildInfo child : s.children()) {
          counts.merge(child.state(), 1, Integer::sum);
        }
      }
      return counts;
    }

    /** Pids of its running children, with their ids. */
    public Map<Pid, String> runningChildPids() {
      return Map.copyOf(live);
    }

    /**
     * Its state as the supervisor reports it, asked only if something happened since the last
     * answer (and at most every 200 ms), with a 500 ms timeout; {@code null} if it is not running
     * and never answered.
     */
    public @Nullable SupervisorSnapshot snapshot() {
      Pid p = pid;
      Cached c = cached;
      long v = version.get();
      long now = System.nanoTime();
      if (p == null || !p.isAlive()) {
        return c == null ? null : c.snapshot;
      }
      if (c != null
          && c.snapshot.pid() == p
          && ((c.version == v && !c.backingOff) || now - c.takenNanos < MIN_REFRESH_NANOS)) {
        return c.snapshot;
      }
      SupervisorHandle supervisor = handleOf(p);
      if (supervisor == null) { // it exited meanwhile
        return c == null ? null : c.snapshot;
      }
      try {
        SupervisorSnapshot s = introspect(() -> supervisor.inspect(INSPECT_TIMEOUT));
        cached = new Cached(s, v, now, backingOff(s));
        return s;
      } catch (CallException e) {
        return c == null ? null : c.snapshot;
      }
    }

    /* A handle of the kind the node's directory reports for `pid`; null if it is not there. */
    private static @Nullable SupervisorHandle handleOf(Pid pid) {
      for (SupervisorDirectory.Entry entry : SupervisorDirectory.of(pid.node()).supervisors()) {
        if (entry.pid() == pid) {
          return entry.dynamic() ? DynamicSupervisorRef.of(pid) : SupervisorRef.of(pid);
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return "SupervisorStats["
          + name
          + ", restarts="
          + restarts()
          + ", escalations="
          + escalations()
          + "]";
    }

    /*
     * A snapshot with a child backing off is taken again after MIN_REFRESH_NANOS even if no event
     * came: stopping such a child (terminateChild) publishes none, having no process to stop.
     */
    private record Cached(
        SupervisorSnapshot snapshot, long version, long takenNanos, boolean backingOff) {}

    private static boolean backingOff(SupervisorSnapshot snapshot) {
      for (ChildInfo child : snapshot.children()) {
        if (child.state() == ChildState.BACKING_OFF) {
          return true;
        }
      }
      return false;
    }
  }

  /** What the tracker knows about one child id of a supervisor. Thread-safe. */
  public static final class ChildStats {
    private final String id;
    private final LongAdder restarts = new LongAdder();
    /* Processes running with this id, as seen from events. */
    private final AtomicInteger running = new AtomicInteger();
    private volatile @Nullable Failure lastFailure;

    ChildStats(String id) {
      this.id = id;
    }

    /** The child's id. */
    public String id() {
      return id;
    }

    /** How many times it was restarted. */
    public long restarts() {
      return restarts.sum();
    }

    /** Its last failure, if any. */
    public @Nullable Failure lastFailure() {
      return lastFailure;
    }

    @Override
    public String toString() {
      return "ChildStats[" + id + ", restarts=" + restarts() + "]";
    }
  }
}

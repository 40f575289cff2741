package dev.supervision.core.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A set of processes that live and die together: the JVM-local equivalent of an Erlang node.
 * Processes are spawned on a node; closing the node kills whatever still runs on it, so that no
 * thread outlives it.
 *
 * {@snippet :
 * try (Node node = Node.create("demo")) {
 *   Pid pid = node.spawn(self -> System.out.println("got " + self.receive()));
 *   pid.send("hello");
 * }
 * }
 *
 * <p>Several nodes may coexist in one JVM (one per Spring application context, for example); pids
 * are unique across all of them. Thread-safe.
 */
public final class Node implements AutoCloseable {
  private static final AtomicInteger NODE_IDS = new AtomicInteger();

  private final int id;
  private final String name;
  private final Ticker ticker;
  private final LongAdder processCount = new LongAdder();
  /* Opened once the node is closed and its count is 0: what close() waits for. */
  private final CountDownLatch drained = new CountDownLatch(1);
  private final ConcurrentHashMap<Class<?>, Object> extensions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Pid> localNames = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private Node(String name, Ticker ticker) {
    this.id = NODE_IDS.getAndIncrement();
    this.name = name;
    this.ticker = ticker;
  }

  /** A node named {@code name} using the system's monotonic clock. */
  public static Node create(String name) {
    return create(name, Ticker.system());
  }

  /** A node whose restart-intensity windows are measured with {@code ticker}. */
  public static Node create(String name, Ticker ticker) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ticker, "ticker");
    return new Node(name, ticker);
  }

  /** A small number identifying this node within the JVM, shown in pids ({@code <id.pid>}). */
  public int id() {
    return id;
  }

  /** The name given at creation. */
  public String name() {
    return name;
  }

  /**
   * The node-local name {@code name} (OTP's locally registered name): give it to a start ({@code
   * StartOptions.named(node.name("counter"))}) to register the new server under it, and address the
   * server by it from anywhere, without a registry.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public LocalName name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a local name must not be blank but was '" + name + "'");
    }
    return new LocalName(this, name);
  }

  /**
   * The local names held by live processes now (OTP's {@code registered()}), with their holders.
   */
  public Map<String, Pid> registeredNames() {
    Map<String, Pid> live = new TreeMap<>();
    localNames.forEach(
        (name, pid) -> {
          if (pid.isAlive()) {
            live.put(name, pid);
          }
        });
    return Collections.unmodifiableMap(live);
  }

  ConcurrentHashMap<String, Pid> localNames() {
    return localNames;
  }

  /** The clock used for restart intensity. */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Spawns a process running {@code body}, linked to nothing.
   *
   * @throws IllegalStateException if the node is closed
   */
  public Pid spawn(ProcessBody body) {
    return spawn(null, body);
  }

  /** Spawns a process with a label for logs and introspection. */
  public Pid spawn(@Nullable String label, ProcessBody body) {
    Objects.requireNonNull(body, "body");
    ProcessCell cell = new ProcessCell(this, label, body);
    track(cell);
    cell.start();
    return cell;
  }

  Pid spawnLinked(ProcessCell parent, @Nullable String label, ProcessBody body) {
    Objects.requireNonNull(body, "body");
    ProcessCell cell = new ProcessCell(this, label, body);
    track(cell);
    ProcessCell.linkCells(parent, cell);
    cell.start();
    return cell;
  }

  /*
   * Counted and listed first, then `closed` is read: close() writes `closed`, then lists. So
   * either this spawn sees the node closed and is undone (never started), or close() lists the
   * cell, kills it and waits for it to leave the count; the process can't slip between them.
   */
  private void track(ProcessCell cell) {
    processCount.increment();
    cell.track();
    if (closed) {
      cell.untrack();
      leaveCount();
      throw new IllegalStateException("node " + name + " is closed");
    }
  }

  void untrack(ProcessCell cell) {
    cell.untrack();
    leaveCount();
  }

  private void leaveCount() {
    processCount.decrement();
    if (closed && processCount.sum() == 0) {
      drained.countDown();
    }
  }

  /* This node's live processes; a scan of all of the JVM's, for the rare callers that list them. */
  private List<ProcessCell> cells() {
    List<ProcessCell> cells = new ArrayList<>();
    for (ProcessCell cell : ProcessCell.live()) {
      if (cell.node() == this) {
        cells.add(cell);
      }
    }
    return cells;
  }

  /**
   * Sends {@code target} an exit signal with {@code reason}, from the current process (or from
   * outside any process). A target that traps exits receives an {@link Exit} message; otherwise it
   * exits with {@code reason}, unless the reason is {@link ExitReason.Normal}, which it ignores (as
   * in OTP).
   */
  public void exit(Pid target, ExitReason reason) {
    Objects.requireNonNull(reason, "reason");
    ProcessCell.cell(target).exitSignal(ProcessCell.current(), reason, false);
  }

  /**
   * Kills {@code target}: an exit signal that cannot be trapped (OTP's {@code exit(Pid, kill)}).
   * The process exits with {@link ExitReason.Killed} at once; its thread is interrupted.
   */
  public void kill(Pid target) {
    ProcessCell.cell(target).exitSignal(ProcessCell.current(), ExitReason.killed(), true);
  }

  /**
   * Runs {@code callback} when {@code target} exits, on the thread that ends it and before its
   * links are signalled; if it is already exiting, on that thread once the callbacks added before
   * have run; at once, on the calling thread and with the reason it exited with, if it has already
   * exited (unlike a process's {@link ProcessContext#monitor monitor}, whose {@link Down} then says
   * {@link ExitReason.NoProc}). Callbacks run in the order they were added. Usable from any thread.
   */
  public MonitorRef monitor(Pid target, ExitCallback callback) {
    Objects.requireNonNull(callback, "callback");
    ProcessCell cell = ProcessCell.cell(target);
    MonitorRef ref = new MonitorRef(cell, null, callback);
    if (!cell.addMonitor(ref)) {
      callback.exited(cell, cell.exitReason().orElse(ExitReason.noProc()));
    }
    return ref;
  }

  /** Removes a monitor made by {@link #monitor(Pid, ExitCallback)}; returns whether it was set. */
  public boolean demonitor(MonitorRef ref) {
    return ref.target.removeMonitor(ref);
  }

  /** The number of live processes. */
  public int processCount() {
    return processCount.intValue();
  }

  /** A snapshot of the live processes, in no particular order. */
  public List<Pid> processes() {
    return new ArrayList<>(cells());
  }

  /** The processes linked to {@code pid} right now. */
  public List<Pid> links(Pid pid) {
    return List.copyOf(ProcessCell.cell(pid).linksSnapshot());
  }

  /**
   * A per-node singleton of {@code type}, created on first use by {@code factory}. Lets other
   * packages (event dispatch, registries) keep node-wide state without the node knowing them.
   */
  public <T> T extension(Class<T> type, Function<Node, T> factory) {
    return type.cast(extensions.computeIfAbsent(type, t -> factory.apply(this)));
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Kills every process still running on this node and waits up to 10 seconds for them all to be
   * gone ({@link #processCount()} 0) and for their threads to finish; a spawn racing it is refused
   * or its process killed and waited for too. Stop supervision trees gracefully (through their
   * supervisors) first when their children must clean up. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    List<ProcessCell> cells = cells();
    for (ProcessCell cell : cells) {
      cell.exitSignal(null, ExitReason.killed(), true);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try {
      for (ProcessCell cell : cells) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !cell.awaitThread(remaining)) {
          break;
        }
      }
      /*
       * A process not listed above has left the live set but maybe not yet the count, or is
       * counted but was not yet listed (its spawn then sees `closed`): wait for the count.
       */
      if (processCount.sum() != 0) {
        drained.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Node[" + name + ", " + processCount() + " processes]";
  }
}

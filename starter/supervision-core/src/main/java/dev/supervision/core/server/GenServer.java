package dev.supervision.core.server;

import dev.supervision.core.internal.Spin;
import dev.supervision.core.internal.Timeouts;
import dev.supervision.core.process.Address;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Starting, calling and casting to {@link Server}s (OTP's {@code gen_server} module).
 *
 * {@snippet :
 * Pid counter = GenServer.start(node, Counter::new);
 * GenServer.cast(counter, Counter.Increment.INSTANCE);               // never blocks, never fails
 * long value = GenServer.call(counter, Counter.Get.INSTANCE);        // waits up to 5 s
 * long again = GenServer.call(counter, Counter.Get.INSTANCE, Duration.ofMillis(100));
 * }
 *
 * <p>All methods may be called from any thread; {@code startLink} only from a process (it links the
 * new server to the calling process, as a supervisor's start function does). A call's failures are
 * distinct {@link CallException} subclasses.
 */
public final class GenServer {

  private static final System.Logger LOG = System.getLogger(GenServer.class.getName());

  /** The default call timeout: 5 seconds, as in OTP. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** A timeout that never expires (OTP's {@code infinity}). */
  public static final Duration INFINITY = Duration.ofSeconds(Long.MAX_VALUE);

  private GenServer() {}

  /**
   * Starts a server that is not linked to the caller, and returns once its {@code init} has
   * finished.
   *
   * @throws StartException if the factory or {@code init} throws, {@code init} times out or the
   *     name is taken
   * @throws StartIgnoredException if {@code init} answered {@link ServerContext#ignore()}; the
   *     process has exited {@code normal}
   */
  public static Pid start(Node node, Supplier<? extends Server> factory) {
    return start(node, factory, StartOptions.DEFAULTS);
  }

  /** Starts a server that is not linked to the caller, with options. */
  public static Pid start(Node node, Supplier<? extends Server> factory, StartOptions options) {
    Objects.requireNonNull(node, "node");
    return doStart(node, null, factory, options);
  }

  /**
   * Starts a server linked to the calling process (OTP's {@code start_link}).
   *
   * @throws IllegalStateException if the caller is not a process
   * @throws StartException if the start fails; the caller is then not linked to anything
   * @throws StartIgnoredException if {@code init} answered {@link ServerContext#ignore()}; the
   *     caller is not linked to anything and receives no exit message
   */
  public static Pid startLink(Supplier<? extends Server> factory) {
    return startLink(factory, StartOptions.DEFAULTS);
  }

  /** Starts a server linked to the calling process, with options. */
  public static Pid startLink(Supplier<? extends Server> factory, StartOptions options) {
    ProcessContext parent =
        ProcessContext.current()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "startLink must be called from a process; use start(node, ...) elsewhere"));
    return doStart(parent.node(), parent, factory, options);
  }

  private static Pid doStart(
      Node node,
      @Nullable ProcessContext parent,
      Supplier<? extends Server> factory,
      StartOptions options) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(options, "options");
    Server server;
    try {
      server = factory.get();
    } catch (RuntimeException e) {
      throw new StartException("server factory failed: " + e, e, null);
    }
    if (server == null) {
      throw new StartException("server factory returned null", null, null);
    }
    String label = options.label() != null ? options.label() : defaultLabel(server);
    // init's outcome: null, a StartException or a StartIgnoredException (a slot does not
    // parkNanos)
    CallSlot started = new CallSlot(Thread.currentThread());
    Pid parentPid = parent == null ? null : parent.self();
    ServerProcess loop = new ServerProcess(server, options.name(), parentPid, started);
    Pid pid = parent == null ? node.spawn(label, loop) : parent.spawnLink(label, loop);
    Object outcome = started.await(Timeouts.nanos(options.initTimeout()), false);
    if (outcome == CallSlot.ABANDONED) {
      unlinkAndKill(node, parent, pid);
      if (Thread.currentThread().isInterrupted()) {
        throw new StartException("interrupted while starting " + label, null, null);
      }
      throw new StartException(
          label + ".init did not finish within " + options.initTimeout(), null, null);
    }
    if (outcome instanceof RuntimeException s) { // StartException or StartIgnoredException
      awaitExit(node, pid, options.initTimeout());
      s.fillInStackTrace();
      throw s;
    }
    return pid;
  }

  /*
   * A failed or ignored start returns once the server has exited (as proc_lib does since OTP 26),
   * not as soon as it reported the outcome: by then its exit callbacks have run and its name is
   * free again, so a supervisor can retry the start at once instead of finding the name still held.
   */
  private static void awaitExit(Node node, Pid pid, Duration timeout) {
    CountDownLatch exited = new CountDownLatch(1);
    node.monitor(pid, (p, reason) -> exited.countDown());
    try {
      exited.await(Timeouts.nanos(timeout), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String defaultLabel(Server server) {
    String simple = server.getClass().getSimpleName();
    return simple.isEmpty() ? server.getClass().getName() : simple;
  }

  private static void unlinkAndKill(Node node, @Nullable ProcessContext parent, Pid pid) {
    if (parent != null) {
      parent.unlink(pid);
    }
    node.kill(pid);
  }

  /** Calls {@code server} with the default 5 second timeout. */
  public static <R extends @Nullable Object> R call(Address server, Object request) {
    return call(server, request, DEFAULT_TIMEOUT);
  }

  /**
   * Sends {@code request} to {@code server} and waits for the reply.
   *
   * @param timeout how long to wait; {@link #INFINITY} waits forever
   * @return the reply, cast to the caller's expected type
   * @throws CallException.Timeout if no reply came in time
   * @throws CallException.NoProc if no process is at {@code server}
   * @throws CallException.ServerExited if the server exited before replying
   * @throws CallException.CallingSelf if a server calls itself
   * @throws CallException.Interrupted if the calling thread was interrupted
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  @SuppressWarnings("unchecked")
  public static <R extends @Nullable Object> R call(
      Address server, Object request, Duration timeout) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(request, "request");
    long timeoutNanos = Timeouts.nanos(timeout);
    Pid pid = server.whereis();
    if (pid == null) {
      // A dead pid still knows its node, hence the observer; a free name knows neither.
      if (server instanceof Pid dead) {
        observe(CallObservers.of(dead.node()), dead, CallObserver.Outcome.NOPROC, 0L);
      }
      throw new CallException.NoProc(server, request);
    }
    CallObserver observer = CallObservers.of(pid.node());
    long start = observer == null ? 0L : System.nanoTime();
    try {
      Object result = exchange(server, pid, request, timeoutNanos, timeout);
      observe(observer, pid, CallObserver.Outcome.OK, System.nanoTime() - start);
      return unbox(result);
    } catch (CallException e) {
      observe(observer, pid, outcome(e), System.nanoTime() - start);
      throw e;
    }
  }

  /* The observer is user code: its failure must not turn the call's outcome into another one. */
  private static void observe(
      @Nullable CallObserver observer, Pid pid, CallObserver.Outcome outcome, long nanos) {
    if (observer == null) {
      return;
    }
    try {
      observer.called(label(pid), outcome, nanos);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "call observer " + observer + " failed", e);
    }
  }

  @SuppressWarnings({"unchecked", "NullAway"}) // R is declared to admit null
  private static <R extends @Nullable Object> R unbox(Object result) {
    return result == CallSlot.NULL ? (R) null : (R) result;
  }

  private static Object exchange(
      Address server, Pid pid, Object request, long timeoutNanos, Duration timeout) {
    Optional<ProcessContext> self = ProcessContext.current();
    if (self.isPresent() && self.get().self() == pid) {
      throw new CallException.CallingSelf(server, request);
    }
    CallSlot slot = new CallSlot(Thread.currentThread());
    if (!pid.isAlive()) {
      throw new CallException.NoProc(server, request);
    }
    ServerProcess.Call call = new ServerProcess.Call(request, slot);
    int queued;
    if (pid instanceof Spin.Delivery delivery) {
      queued = delivery.deliver(call);
    } else {
      pid.send(call);
      queued = 0;
    }
    if (!pid.isAlive()) {
      slot.fail(pid.exitReason().orElse(ExitReason.noProc()));
    }
    Object result = slot.awaitReply(timeoutNanos, queued);
    if (result == CallSlot.ABANDONED) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CallException.Interrupted(server, request);
      }
      throw new CallException.Timeout(server, request, timeout);
    }
    if (result instanceof CallSlot.Failed failed) {
      throw new CallException.ServerExited(server, request, failed.reason());
    }
    return result;
  }

  private static String label(Pid pid) {
    return pid.label().orElse("server");
  }

  private static CallObserver.Outcome outcome(CallException e) {
    return switch (e) {
      case CallException.Timeout t -> CallObserver.Outcome.TIMEOUT;
      case CallException.NoProc n -> CallObserver.Outcome.NOPROC;
      case CallException.ServerExited x -> CallObserver.Outcome.EXITED;
      case CallException.CallingSelf c -> CallObserver.Outcome.CALLING_SELF;
      case CallException.Interrupted i -> CallObserver.Outcome.INTERRUPTED;
    };
  }

  /**
   * Sends {@code message} to {@code server}'s {@link Server#handleCast}. Never blocks and never
   * fails: a cast to an address with no live process is dropped, as in OTP.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public static void cast(Address server, Object message) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(message, "message");
    Pid pid = server.whereis();
    if (pid != null) {
      pid.send(new ServerProcess.Cast(message));
    }
  }

  /** Stops {@code server} with reason {@link ExitReason#normal()}, waiting for it to exit. */
  public static void stop(Address server) {
    stop(server, ExitReason.normal(), INFINITY);
  }

  /**
   * Stops {@code server}: its {@link Server#terminate} runs and it exits with {@code reason}.
   * Returns once it has exited.
   *
   * @throws CallException.NoProc if no process is at {@code server}
   * @throws CallException.CallingSelf if a server stops itself this way (use {@link
   *     ServerContext#stop})
   * @throws CallException.Timeout if it has not exited within {@code timeout}; it is then killed
   */
  public static void stop(Address server, ExitReason reason, Duration timeout) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(reason, "reason");
    long timeoutNanos = Timeouts.nanos(timeout);
    Pid pid = server.whereis();
    if (pid == null) {
      throw new CallException.NoProc(server, "stop");
    }
    Optional<ProcessContext> self = ProcessContext.current();
    if (self.isPresent() && self.get().self() == pid) {
      throw new CallException.CallingSelf(server, "stop");
    }
    CountDownLatch exited = new CountDownLatch(1);
    MonitorRef ref = pid.node().monitor(pid, (p, r) -> exited.countDown());
    pid.send(new ServerProcess.Stop(reason));
    try {
      if (!exited.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
        // As OTP's proc_lib:stop: a server that does not stop in time is killed.
        pid.node().demonitor(ref);
        pid.node().kill(pid);
        throw new CallException.Timeout(server, "stop", timeout);
      }
    } catch (InterruptedException e) {
      pid.node().demonitor(ref);
      Thread.currentThread().interrupt();
      throw new CallException.Interrupted(server, "stop");
    }
  }

  /**
   * Installs {@code observer} for every call to servers of {@code node}, replacing any previous
   * one; {@code null} removes it.
   */
  public static void observeCalls(Node node, @Nullable CallObserver observer) {
    node.extension(CallObservers.class, n -> new CallObservers()).observer = observer;
  }

  static final class CallObservers {
    volatile @Nullable CallObserver observer;

    static @Nullable CallObserver of(Node node) {
      return node.extension(CallObservers.class, n -> new CallObservers()).observer;
    }
  }
}

package dev.supervision.core.server;

import dev.supervision.core.internal.Timeouts;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Starting {@link Server}s (OTP's {@code gen_server} module); a start returns the {@link ServerRef}
 * to call, cast and stop the server with.
 *
 * {@snippet :
 * ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
 * counter.cast(new Counter.Increment(1));           // never blocks, never fails
 * long value = counter.call(Counter.Get::new);       // waits up to 5 s
 * }
 *
 * <p>{@code start} may be called from any thread; {@code startLink} only from a process (it links
 * the new server to the calling process, as a supervisor's start function does).
 */
public final class GenServer {

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
  public static <M> ServerRef<M> start(Node node, Supplier<? extends Server<M>> factory) {
    return start(node, factory, StartOptions.DEFAULTS);
  }

  /** Starts a server that is not linked to the caller, with options. */
  public static <M> ServerRef<M> start(
      Node node, Supplier<? extends Server<M>> factory, StartOptions options) {
    Objects.requireNonNull(node, "node");
    return ServerRef.of(doStart(node, null, factory, options));
  }

  /**
   * Starts a server linked to the calling process (OTP's {@code start_link}).
   *
   * @throws IllegalStateException if the caller is not a process
   * @throws StartException if the start fails; the caller is then not linked to anything
   * @throws StartIgnoredException if {@code init} answered {@link ServerContext#ignore()}; the
   *     caller is not linked to anything and receives no exit message
   */
  public static <M> ServerRef<M> startLink(Supplier<? extends Server<M>> factory) {
    return startLink(factory, StartOptions.DEFAULTS);
  }

  /** Starts a server linked to the calling process, with options. */
  public static <M> ServerRef<M> startLink(
      Supplier<? extends Server<M>> factory, StartOptions options) {
    ProcessContext parent =
        ProcessContext.current()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "startLink must be called from a process; use start(node, ...) elsewhere"));
    return ServerRef.of(doStart(parent.node(), parent, factory, options));
  }

  private static <M> Pid doStart(
      Node node,
      @Nullable ProcessContext parent,
      Supplier<? extends Server<M>> factory,
      StartOptions options) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(options, "options");
    Server<M> server;
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
    CallSlot<@Nullable Object> started = new CallSlot<>(Thread.currentThread());
    Pid parentPid = parent == null ? null : parent.self();
    ServerProcess<M> loop = new ServerProcess<>(server, options.name(), parentPid, started);
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

  private static String defaultLabel(Server<?> server) {
    String simple = server.getClass().getSimpleName();
    return simple.isEmpty() ? server.getClass().getName() : simple;
  }

  private static void unlinkAndKill(Node node, @Nullable ProcessContext parent, Pid pid) {
    if (parent != null) {
      parent.unlink(pid);
    }
    node.kill(pid);
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

package dev.supervision.test;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.server.DirectReply;
import dev.supervision.core.server.Info;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link Server}'s callbacks on the test's thread, without a process, and records what they
 * asked of their {@link ServerContext}: for unit tests of a server's handlers (Pekko's {@code
 * BehaviorTestKit}).
 *
 * {@snippet :
 * ServerTestKit<Counter.Message> kit = ServerTestKit.of(new Counter()); // runs init
 * kit.cast(new Counter.Increment(2));
 * long value = kit.call(Counter.Get::new);                              // what handle replied
 * kit.info(Info.Timeout.INSTANCE);
 * assertThat(kit.requestedTimeout()).contains(Duration.ofSeconds(30));
 * }
 *
 * <p>As in the runtime: a step asked for with {@link ServerContext#continueWith} runs before the
 * next message (or when {@link #runContinue()} runs it); a {@linkplain ServerContext#timeoutAfter
 * timeout} is recorded, and cleared by the next callback; {@link ServerContext#stop} takes effect
 * once the callback returns, then {@link Server#terminate} runs (not after {@code init}, whose stop
 * fails the start); {@link ServerContext#ignore()} is allowed in {@code init} only. A callback that
 * throws crashes the server: {@code terminate} runs with {@link ExitReason.Crashed} (not after
 * {@code init}), and the exception reaches the test (a checked one wrapped in an {@link
 * AssertionError}). A stopped, crashed or ignored server takes no more messages.
 *
 * <p>Not a process: {@link ServerContext#self()} and {@link ServerContext#process()} throw {@link
 * UnsupportedOperationException}; test what uses them with a server started on a {@code Node}. Use
 * a kit from one thread.
 *
 * @param <M> the server's protocol
 */
public final class ServerTestKit<M> {
  private final Server<M> server;
  private final Context context = new Context();
  private @Nullable ExitReason exitReason;
  private boolean ignored;

  private ServerTestKit(Server<M> server) {
    this.server = server;
  }

  /**
   * Makes a kit for {@code server} and runs its {@link Server#init} with a test context.
   *
   * @throws RuntimeException whatever {@code init} threw (a checked exception wrapped in an {@link
   *     AssertionError})
   */
  public static <M> ServerTestKit<M> of(Server<M> server) {
    ServerTestKit<M> kit = new ServerTestKit<>(Objects.requireNonNull(server, "server"));
    kit.init();
    return kit;
  }

  private void init() {
    context.inInit = true;
    try {
      server.init(context);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // as in the runtime, a failed init runs no terminate
      exitReason = ExitReason.crashed(e);
      throw rethrow("init", e);
    } finally {
      context.inInit = false;
    }
    if (context.ignoreAsked) {
      ignored = true;
      exitReason = ExitReason.normal();
    } else if (context.stopReason != null) {
      exitReason = context.stopReason; // a failed start: terminate does not run
    }
    if (exitReason != null) {
      context.step = null;
    }
  }

  /**
   * Hands {@code message} to {@link Server#handle}, as a cast does.
   *
   * @throws IllegalStateException if the server has stopped, crashed or was ignored
   */
  public void cast(M message) {
    Objects.requireNonNull(message, "message");
    deliver("handle", () -> server.handle(message));
  }

  /**
   * Hands the call message that {@code request} makes to {@link Server#handle} and returns the
   * reply the handler gave before it returned.
   *
   * {@snippet :
   * long value = kit.call(Counter.Get::new);
   * User user = usersKit.call(replyTo -> new Users.Lookup("ada", replyTo));
   * }
   *
   * @throws AssertionError if the handler returned without replying (a deferred reply: test it with
   *     {@link #request})
   * @throws IllegalStateException if the server has stopped, crashed or was ignored
   */
  public <R extends @Nullable Object> R call(Function<? super ReplyTo<R>, ? extends M> request) {
    DirectReply<R> reply = DirectReply.create();
    M message = Objects.requireNonNull(request.apply(reply.replyTo()), "request made null");
    deliver("handle", () -> server.handle(message));
    if (!reply.isAnswered()) {
      throw new AssertionError(
          server.getClass().getName()
              + ".handle returned without replying to "
              + message
              + (exitReason == null ? "" : " and stopped with " + exitReason)
              + "; for a deferred reply use request(...) and check it later");
    }
    return reply.value();
  }

  /**
   * Hands the call message that {@code request} makes to {@link Server#handle} and returns its
   * reply target unanswered or not, to test a deferred reply: deliver what releases it, then read
   * {@link DirectReply#value()}.
   *
   * @throws IllegalStateException if the server has stopped, crashed or was ignored
   */
  public <R extends @Nullable Object> DirectReply<R> request(
      Function<? super ReplyTo<R>, ? extends M> request) {
    DirectReply<R> reply = DirectReply.create();
    M message = Objects.requireNonNull(request.apply(reply.replyTo()), "request made null");
    deliver("handle", () -> server.handle(message));
    return reply;
  }

  /**
   * Hands {@code info} to {@link Server#handleInfo}: a monitor's {@link Info.Down}, a trapped
   * {@link Info.Exit}, {@link Info.Timeout#INSTANCE}, or an {@link Info.Message}.
   *
   * @throws IllegalStateException if the server has stopped, crashed or was ignored
   */
  public void info(Info info) {
    Objects.requireNonNull(info, "info");
    deliver("handleInfo", () -> server.handleInfo(info));
  }

  /**
   * Runs the step the last callback asked for with {@link ServerContext#continueWith}; it may ask
   * for another.
   *
   * @throws AssertionError if no step is pending
   */
  public void runContinue() {
    ServerContext.Step step = context.step;
    if (step == null) {
      throw new AssertionError("no continue step is pending");
    }
    running();
    runStep(step);
  }

  /** Whether the last callback asked for a step with {@link ServerContext#continueWith}. */
  public boolean hasPendingContinue() {
    return context.step != null;
  }

  /** The timeout the last callback asked for with {@link ServerContext#timeoutAfter}, if any. */
  public Optional<Duration> requestedTimeout() {
    return Optional.ofNullable(context.timeout);
  }

  /** Whether {@code init} answered {@link ServerContext#ignore()}. */
  public boolean isIgnored() {
    return ignored;
  }

  /** Whether the server still takes messages: it has not stopped, crashed or been ignored. */
  public boolean isRunning() {
    return exitReason == null;
  }

  /**
   * Why the server ended: the reason given to {@link ServerContext#stop}, {@link
   * ExitReason.Crashed} if a callback threw, {@code normal} if {@code init} answered ignore; empty
   * while it runs.
   */
  public Optional<ExitReason> exitReason() {
    return Optional.ofNullable(exitReason);
  }

  /* Runs a pending step (as the runtime does before the next message), then the callback. */
  private void deliver(String callback, Callback body) {
    running();
    ServerContext.Step step = context.step;
    if (step != null) {
      runStep(step);
      running();
    }
    context.timeout = null;
    invoke(callback, body);
  }

  private void runStep(ServerContext.Step step) {
    context.step = null;
    context.timeout = null;
    invoke("continue step", step::run);
  }

  private void invoke(String callback, Callback body) {
    try {
      body.run();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // an Error crashes the server as an exception does
      end(ExitReason.crashed(e));
      throw rethrow(callback, e);
    }
    ExitReason stop = context.stopReason;
    if (stop != null) {
      end(stop);
    }
  }

  private void end(ExitReason reason) {
    exitReason = reason;
    context.step = null;
    context.timeout = null;
    server.terminate(reason);
  }

  private void running() {
    if (exitReason != null) {
      throw new IllegalStateException(
          server.getClass().getName()
              + (ignored ? " was ignored by init" : " has ended with " + exitReason)
              + " and takes no more messages");
    }
  }

  /* What a test sees of a callback's failure: unchecked ones as they are, checked ones wrapped. */
  private RuntimeException rethrow(String callback, Throwable e) {
    if (e instanceof RuntimeException r) {
      return r;
    }
    if (e instanceof Error error) {
      throw error;
    }
    throw new AssertionError(server.getClass().getName() + " " + callback + " threw " + e, e);
  }

  @FunctionalInterface
  private interface Callback {
    void run() throws Exception;
  }

  /* The context the callbacks see: records what they ask for. */
  private final class Context implements ServerContext<M> {
    boolean inInit;
    boolean ignoreAsked;
    @Nullable ExitReason stopReason;
    ServerContext.@Nullable Step step;
    @Nullable Duration timeout;

    @Override
    public ServerRef<M> self() {
      throw new UnsupportedOperationException(
          "ServerTestKit runs callbacks without a process, so there is no self(); test code that"
              + " uses it with a server started on a Node");
    }

    @Override
    public ProcessContext process() {
      throw new UnsupportedOperationException(
          "ServerTestKit runs callbacks without a process, so there is no process(); test code"
              + " that uses it with a server started on a Node");
    }

    @Override
    public void stop(ExitReason reason) {
      stopReason = Objects.requireNonNull(reason, "reason");
      ignoreAsked = false;
    }

    @Override
    public void continueWith(Step step) {
      this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public void timeoutAfter(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be >= 0 but was " + timeout);
      }
      this.timeout = timeout;
    }

    @Override
    public void ignore() {
      if (!inInit) {
        throw new IllegalStateException(
            "ignore() answers init only; a running server ends with stop(reason)");
      }
      ignoreAsked = true;
      stopReason = null;
    }
  }
}

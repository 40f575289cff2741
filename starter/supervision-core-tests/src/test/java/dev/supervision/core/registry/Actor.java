package dev.supervision.core.registry;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A server that runs code in its own process on request: registry calls need a calling process. */
final class Actor implements Server {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private record Run(Callable<?> body) {}

  private record Failed(Exception error) {}

  private enum Crash {
    INSTANCE
  }

  static Pid start(Node node) {
    return GenServer.start(node, Actor::new);
  }

  /** Runs {@code body} in {@code actor}'s process; rethrows what it throws. */
  static <T> T run(Pid actor, Callable<T> body) {
    Object reply = GenServer.call(actor, new Run(body), TIMEOUT);
    if (reply instanceof Failed failed) {
      if (failed.error() instanceof RuntimeException e) {
        throw e;
      }
      throw new IllegalStateException(failed.error());
    }
    @SuppressWarnings("unchecked")
    T result = (T) reply;
    return result;
  }

  /** Runs {@code body} in {@code actor}'s process. */
  static void exec(Pid actor, ThrowingRunnable body) {
    run(
        actor,
        () -> {
          body.run();
          return null;
        });
  }

  /** Makes {@code actor} crash, and returns once it has exited. */
  static ExitReason crash(Pid actor) {
    CompletableFuture<ExitReason> exit = watch(actor);
    GenServer.cast(actor, Crash.INSTANCE);
    return await(exit);
  }

  /** A future completed with the exit reason of {@code pid}. */
  static CompletableFuture<ExitReason> watch(Pid pid) {
    CompletableFuture<ExitReason> exit = new CompletableFuture<>();
    pid.node().monitor(pid, (p, reason) -> exit.complete(reason));
    return exit;
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result within " + TIMEOUT, e);
    }
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Override
  public void handleCall(Object request, ReplyTo replyTo) {
    Run run = (Run) request;
    try {
      replyTo.reply(run.body().call());
    } catch (Exception e) {
      replyTo.reply(new Failed(e));
    }
  }

  @Override
  public void handleCast(Object message) {
    if (message == Crash.INSTANCE) {
      throw new IllegalStateException("crash on request");
    }
  }
}

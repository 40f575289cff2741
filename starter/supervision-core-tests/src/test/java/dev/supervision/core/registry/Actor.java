package dev.supervision.core.registry;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.test.Exits;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A server that runs code in its own process on request: registry calls need a calling process. */
final class Actor implements Server<Actor.Message> {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  sealed interface Message {}

  /** Call: run {@code body}; answers what it returned or threw. */
  private record Run<T>(Callable<T> body, ReplyTo<Outcome<T>> replyTo) implements Message {}

  /** Cast: crash. */
  private enum Crash implements Message {
    INSTANCE
  }

  /** What a body returned, or the exception it threw. */
  private record Outcome<T>(@Nullable T value, @Nullable Exception error) {}

  static Pid start(Node node) {
    return GenServer.start(node, Actor::new).pid();
  }

  /** Runs {@code body} in {@code actor}'s process; rethrows what it throws. */
  static <T> T run(Pid actor, Callable<T> body) {
    ServerRef<Message> ref = ServerRef.of(actor);
    Outcome<T> outcome = ref.call(replyTo -> new Run<>(body, replyTo), TIMEOUT);
    Exception error = outcome.error();
    if (error == null) {
      return outcome.value();
    }
    if (error instanceof RuntimeException e) {
      throw e;
    }
    throw new IllegalStateException(error);
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
    ServerRef.<Message>of(actor).cast(Crash.INSTANCE);
    return Exits.awaitExit(actor, TIMEOUT);
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
  public void handle(Message message) {
    switch (message) {
      case Run<?> run -> execute(run);
      case Crash crash -> throw new IllegalStateException("crash on request");
    }
  }

  private static <T> void execute(Run<T> run) {
    try {
      run.replyTo().reply(new Outcome<>(run.body().call(), null));
    } catch (Exception e) {
      run.replyTo().reply(new Outcome<>(null, e));
    }
  }
}

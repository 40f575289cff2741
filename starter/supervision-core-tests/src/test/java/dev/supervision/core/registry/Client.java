package dev.supervision.core.registry;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.test.Exits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process that runs the code it is sent in its own process, one job at a time (registry calls
 * need a calling process; Elixir's tests run them in the test process or in a Task).
 */
final class Client {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Code run inside the client's process. */
  @FunctionalInterface
  interface Body<T> {
    T run(ProcessContext self) throws Exception;
  }

  private record Job<T>(Body<T> body, CompletableFuture<T> result) {
    void runIn(ProcessContext self) {
      try {
        result.complete(body.run(self));
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    }
  }

  private final Pid pid;

  private Client(Pid pid) {
    this.pid = pid;
  }

  static Client spawn(Node node) {
    return new Client(
        node.spawn(
            "registry-client",
            self -> {
              while (true) {
                if (self.receive() instanceof Job<?> job) {
                  job.runIn(self);
                }
              }
            }));
  }

  Pid pid() {
    return pid;
  }

  /** Starts {@code body} in the client's process; the future completes with what it returns. */
  <T> CompletableFuture<T> start(Body<T> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    pid.send(new Job<>(body, result));
    return result;
  }

  /** Runs {@code body} in the client's process and returns its result; rethrows what it throws. */
  <T> T run(Body<T> body) {
    return await(start(body));
  }

  /** Runs {@code body} in the client's process. */
  void exec(Body<?> body) {
    run(body);
  }

  /** Kills the client and returns once it has exited. */
  ExitReason kill() {
    pid.node().kill(pid);
    return Exits.awaitExit(pid, TIMEOUT);
  }

  /** The value of {@code future}; rethrows an exception it completed with, unwrapped. */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

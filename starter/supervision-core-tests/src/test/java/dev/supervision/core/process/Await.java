package dev.supervision.core.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/* Waiting without sleeping: on a monitor for exits, on a future for results. Shared by the core's test packages. */
public final class Await {
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private Await() {}

  /** The exit reason of {@code pid}, once it has exited. */
  public static ExitReason exit(Pid pid) {
    CompletableFuture<ExitReason> exited = new CompletableFuture<>();
    pid.node().monitor(pid, (p, reason) -> exited.complete(reason));
    return result(exited);
  }

  /** The value of {@code future}; its failure rethrown as is when unchecked. */
  public static <T extends @Nullable Object> T result(Future<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw new AssertionError("failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("nothing within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Runs {@code body} in a new process of {@code node} and returns what it returns. */
  public static <T extends @Nullable Object> T inProcess(Node node, ProcessFunction<T> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    node.spawn(
        self -> {
          try {
            result.complete(body.apply(self));
          } catch (Throwable e) {
            result.completeExceptionally(e);
            throw e;
          }
        });
    return result(result);
  }

  @FunctionalInterface
  public interface ProcessFunction<T extends @Nullable Object> {
    T apply(ProcessContext self) throws Exception;
  }
}

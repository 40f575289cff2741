package dev.supervision.core.process;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/* Running test code inside a process, for what only a process may do. Shared by the core's test packages. */
public final class InProcess {
  private InProcess() {}

  /** Runs {@code body} in a new process of {@code node} and returns what it returns. */
  public static <T extends @Nullable Object> T run(Node node, Body<T> body) {
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
    return Futures.result(result);
  }

  /** Code run in a process; what it returns or throws reaches the caller of {@link #run}. */
  @FunctionalInterface
  public interface Body<T extends @Nullable Object> {
    T apply(ProcessContext self) throws Exception;
  }
}

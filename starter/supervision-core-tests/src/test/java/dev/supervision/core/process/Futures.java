package dev.supervision.core.process;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/* Waiting for a result handed out of a process, without sleeping. Shared by the core's test packages. */
public final class Futures {
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private Futures() {}

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
}

package dev.supervision.hazelcast;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/*
 * Starting a child under a cluster name that a process of another member may still hold, shared by
 * ShardedChildren (a key that moved here) and ClusterSingleton (the oldest member changed): the
 * start fails with NameTakenException inside the supervisor's StartFailed; the starter asks the
 * holder's member to let go (or just waits for it to) and retries when the name changes.
 */
final class Handoff {
  private Handoff() {}

  /*
   * Runs `ask` (a request to the holder's member to let the name go; may do nothing), then waits up
   * to `nanos` for the next change of `name` unless `holder` no longer holds it already.
   */
  static void awaitRelease(
      ClusterRegistry registry, String name, GlobalPid holder, long nanos, Runnable ask) {
    CompletableFuture<Boolean> change = registry.nextChange(name);
    ask.run();
    GlobalPid now = registry.whereis(name);
    if (now != null && now.equals(holder)) {
      await(change, nanos);
    }
  }

  /* The future's value within `nanos`, or null (timed out, failed, or interrupted: flag kept). */
  static <T extends @Nullable Object> @Nullable T await(CompletableFuture<T> future, long nanos) {
    if (nanos <= 0) {
      return future.getNow(null);
    }
    try {
      return future.get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /* The first throwable of `type` in the cause chain of `error`. */
  static <T extends Throwable> @Nullable T cause(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}

package dev.supervision.hazelcast;

import dev.supervision.core.supervisor.SupervisorHandle;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/* How the module's closes stop what they own: one place for the bounded executor shutdown. */
final class Shutdowns {
  private Shutdowns() {}

  /* Stops taking work, waits up to `grace` for what is queued, then interrupts what still runs. */
  static void shutdown(ExecutorService executor, Duration grace) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /* Stops the supervisor if it still runs. */
  static void stop(SupervisorHandle supervisor) {
    if (supervisor.whereis() != null) {
      supervisor.stop();
    }
  }
}

package dev.supervision.core.supervisor;

import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Pid;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** What a supervisor keeps of a child's start function: starts children whose start captures. */
final class Captured {
  private Captured() {}

  /**
   * A child started by {@link #startTemporary}.
   *
   * @param pid the child
   * @param captured the object its start function captured
   */
  record Started(Pid pid, WeakReference<Object> captured) {}

  /**
   * Starts, through {@code startChild}, a temporary worker {@code id} whose start function captures
   * an object that nothing else holds (not the test, not the worker it starts).
   */
  static Started startTemporary(Function<ChildSpec, Pid> startChild, String id, List<String> log) {
    Object captured = new byte[1 << 16];
    ChildStart start =
        () -> {
          Objects.requireNonNull(captured);
          return Worker.start(id, log, false).start();
        };
    Pid pid = startChild.apply(ChildSpec.worker(id, start).withRestart(Restart.TEMPORARY));
    return new Started(pid, new WeakReference<>(captured));
  }

  /** Waits, collecting garbage, until the object behind {@code ref} has been collected. */
  static void awaitCollected(WeakReference<?> ref) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              System.gc();
              return ref.get() == null;
            });
  }
}

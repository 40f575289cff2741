package dev.supervision.test;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for processes to exit, without sleeping. */
public final class Exits {
  private Exits() {}

  /**
   * Waits until {@code pid} has exited and returns its reason; at once if it already has.
   *
   * @throws AssertionError if it is still alive after {@code timeout}
   */
  public static ExitReason awaitExit(Pid pid, Duration timeout) {
    CompletableFuture<ExitReason> exited = new CompletableFuture<>();
    MonitorRef ref = pid.node().monitor(pid, (p, reason) -> exited.complete(reason));
    try {
      return exited.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pid.node().demonitor(ref);
      throw new AssertionError(pid + " did not exit within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + pid + " to exit", e);
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  /** {@link #awaitExit(Pid, Duration)} with a 5 second timeout. */
  public static ExitReason awaitExit(Pid pid) {
    return awaitExit(pid, Duration.ofSeconds(5));
  }
}

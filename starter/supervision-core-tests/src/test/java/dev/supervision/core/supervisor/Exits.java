package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for processes to exit, through monitors. */
final class Exits {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Exits() {}

  /** A future completed with {@code pid}'s exit reason when it exits. */
  static CompletableFuture<ExitReason> watch(Pid pid) {
    CompletableFuture<ExitReason> exited = new CompletableFuture<>();
    pid.node().monitor(pid, (p, reason) -> exited.complete(reason));
    return exited;
  }

  /** Waits for {@code pid} to exit and returns its reason (also if it had exited already). */
  static ExitReason awaitExit(Pid pid) {
    awaitExit(watch(pid));
    return pid.exitReason().orElseThrow();
  }

  static ExitReason awaitExit(CompletableFuture<ExitReason> exit) {
    try {
      return exit.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("process did not exit within " + TIMEOUT, e);
    }
  }

  /**
   * Closes {@code node} and checks that no process of it is left: every process thread has run to
   * its end (a process leaves the node's count only when its thread finishes).
   */
  static void closeAndCheckNoProcessLeft(Node node) {
    List<Pid> before = node.processes();
    node.close();
    await()
        .atMost(TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(
            () -> assertThat(node.processCount()).as("processes left on %s", node).isZero());
    assertThat(before).noneMatch(Pid::isAlive);
  }
}

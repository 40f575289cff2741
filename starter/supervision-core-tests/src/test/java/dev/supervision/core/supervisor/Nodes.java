package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.List;

/** Ending a test's node. */
final class Nodes {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Nodes() {}

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

package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many children under one dynamic supervisor: nothing may be lost, leaked or left running. */
final class DynamicSupervisorStressTest {
  private static final int CHILDREN = 100_000;
  private static final int STARTERS = 4;
  private static final int TERMINATED_ONE_BY_ONE = 10_000;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void startsAndStopsOneHundredThousandServersLeavingNoProcessBehind() throws Exception {
    List<Pid> children = new ArrayList<>(CHILDREN);
    DynamicSupervisorRef sup;
    try (Node node = Node.create("stress")) {
      sup = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("stress"));
      // Idle does not trap exits, so a shutdown ends it at once.
      ChildSpec spec = ChildSpec.server("idle", Idle::new);

      long begin = System.nanoTime();
      try (ExecutorService starters = Executors.newFixedThreadPool(STARTERS)) {
        List<Future<List<Pid>>> batches = new ArrayList<>();
        for (int t = 0; t < STARTERS; t++) {
          batches.add(
              starters.submit(
                  () -> {
                    List<Pid> started = new ArrayList<>(CHILDREN / STARTERS);
                    for (int i = 0; i < CHILDREN / STARTERS; i++) {
                      started.add(sup.startChild(spec));
                    }
                    return started;
                  }));
        }
        for (Future<List<Pid>> batch : batches) {
          children.addAll(batch.get());
        }
      }
      long started = System.nanoTime();

      assertThat(children).hasSize(CHILDREN);
      assertThat(new HashSet<>(children)).hasSize(CHILDREN);
      assertThat(sup.countChildren()).isEqualTo(new ChildCounts(CHILDREN, CHILDREN, 0, CHILDREN));
      assertThat(node.processCount()).isEqualTo(CHILDREN + 1);

      for (int i = 0; i < TERMINATED_ONE_BY_ONE; i++) {
        sup.terminateChild(children.get(i));
      }
      assertThat(children.subList(0, TERMINATED_ONE_BY_ONE)).noneMatch(Pid::isAlive);
      assertThat(sup.countChildren().active()).isEqualTo(CHILDREN - TERMINATED_ONE_BY_ONE);
      long terminated = System.nanoTime();

      sup.stop();
      long stopped = System.nanoTime();

      assertThat(sup.pid().exitReason()).contains(ExitReason.shutdown());
      assertThat(children).noneMatch(Pid::isAlive);
      await().atMost(Duration.ofSeconds(30)).until(() -> node.processCount() == 0);
      System.out.printf(
          "stress: started %d in %d ms, terminated %d in %d ms, stopped the rest in %d ms%n",
          CHILDREN,
          TimeUnit.NANOSECONDS.toMillis(started - begin),
          TERMINATED_ONE_BY_ONE,
          TimeUnit.NANOSECONDS.toMillis(terminated - started),
          TimeUnit.NANOSECONDS.toMillis(stopped - terminated));
    }
    assertThat(sup.pid().isAlive()).isFalse();
    assertThat(children).noneMatch(Pid::isAlive);
    assertThat(sup.pid().node().processCount()).isZero();
  }
}

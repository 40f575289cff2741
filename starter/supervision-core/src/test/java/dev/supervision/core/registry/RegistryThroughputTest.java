package dev.supervision.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.process.Node;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rough throughput figures, printed; run with {@code -Dperf=true}. Not a benchmark (see the JMH
 * module for those) and not run by default: timings on a shared machine make poor assertions.
 */
@EnabledIfSystemProperty(named = "perf", matches = "true")
final class RegistryThroughputTest {
  private static final int OPS = 5_000_000;

  @Test
  void registerUnregisterPairsAndLookups_withTwoThreads() throws Exception {
    try (Node node = Node.create("perf")) {
      for (int round = 0; round < 3; round++) {
        Registry<String, @Nullable Object> registry = Registry.unique(node, "perf-" + round);
        String[] keys = new String[1024];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = "key-" + i;
        }
        double pairs =
            run(
                node,
                2,
                OPS,
                t -> {
                  for (int i = 0; i < OPS; i++) {
                    String key = keys[(i & 511) | (t << 9)];
                    registry.register(key, null);
                    registry.unregister(key);
                  }
                });
        System.out.printf(
            "round %d: register+unregister pairs/s (2 threads): %,.0f%n", round, pairs);
        CountDownLatch hold = new CountDownLatch(1);
        CompletableFuture<Void> filled = new CompletableFuture<>();
        node.spawn(
            self -> {
              for (String key : keys) {
                registry.register(key, 1);
              }
              filled.complete(null);
              hold.await();
            });
        filled.get(10, TimeUnit.SECONDS);
        double lookups =
            run(
                node,
                2,
                OPS * 4L,
                t -> {
                  long found = 0;
                  for (int i = 0; i < OPS * 4; i++) {
                    found += registry.lookup(keys[i & 1023]).size();
                  }
                  assertThat(found).isEqualTo(OPS * 4L);
                });
        System.out.printf("round %d: lookups/s (2 threads): %,.0f%n", round, lookups);
        hold.countDown();
        registry.close();
      }
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private interface Work {
    void run(int thread);
  }

  private static double run(Node node, int threads, long opsPerThread, Work work) throws Exception {
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int id = t;
      node.spawn(
          self -> {
            ready.countDown();
            go.await();
            work.run(id);
            done.countDown();
          });
    }
    ready.await();
    long cpuStart = cpuNanos();
    long start = System.nanoTime();
    go.countDown();
    done.await();
    long elapsed = System.nanoTime() - start;
    long cpu = cpuNanos() - cpuStart;
    // The machine may be shared: also report the rate per CPU-second used, times the threads.
    System.out.printf(
        "  wall %.2f s, process cpu %.2f s -> %,.0f ops/s if each thread had a core%n",
        elapsed / 1e9, cpu / 1e9, (double) opsPerThread * threads / (cpu / 1e9) * threads);
    return (double) opsPerThread * threads / (elapsed / 1e9);
  }
}

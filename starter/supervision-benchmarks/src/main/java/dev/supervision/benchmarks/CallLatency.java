package dev.supervision.benchmarks;

import dev.supervision.core.process.Node;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import java.util.Arrays;

/**
 * Call round trips timed one by one, outside JMH: a caller (a virtual thread, or a platform thread
 * with {@code platform}) calls one server {@code n} times per round and prints the percentiles of
 * every call of the round (JMH's sample mode times a sample of them), then how many calls took over
 * 5 µs and in how many clusters they came (a slow call more than 200 µs after the previous slow one
 * starts a cluster): many slow calls in few clusters point at interruptions from outside (timer
 * ticks, the hypervisor), one per cluster at the runtime's own parks. A last line counts the
 * clusters by size: long ones (17+) are runs in which caller and server woke each other call after
 * call (src/docs/benchmarks.md, fifth round). Rounds before the last ones are warm-up; read the
 * last.
 *
 * <pre>java -cp benchmarks.jar dev.supervision.benchmarks.CallLatency 2000000 6 [platform]</pre>
 */
public final class CallLatency {
  private static final String PING = "ping";
  private static final long SLOW_NANOS = 5_000;
  private static final long CLUSTER_GAP_NANOS = 200_000;
  /* Upper bounds of the cluster-size buckets printed after each round. */
  private static final int[] SIZE_BOUNDS = {1, 2, 4, 16, Integer.MAX_VALUE};

  private CallLatency() {}

  public static void main(String[] args) throws InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    boolean platform = args.length > 2 && args[2].equals("platform");
    try (Node node = Node.create("latency")) {
      ServerRef<Echo.Message> server = GenServer.start(node, Echo::new);
      long[] starts = new long[n];
      long[] nanos = new long[n];
      for (int round = 1; round <= rounds; round++) {
        Runnable calls =
            () -> {
              for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                server.<String>call(replyTo -> new Echo.Ping(PING, replyTo));
                starts[i] = start;
                nanos[i] = System.nanoTime() - start;
              }
            };
        Thread caller =
            platform ? Thread.ofPlatform().start(calls) : Thread.ofVirtual().start(calls);
        caller.join();
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int slow = 0;
        int clusters = 0;
        int size = 0;
        long lastSlow = Long.MIN_VALUE / 2;
        int[] clustersBySize = new int[SIZE_BOUNDS.length];
        int[] callsBySize = new int[SIZE_BOUNDS.length];
        for (int i = 0; i < n; i++) {
          if (nanos[i] > SLOW_NANOS) {
            slow++;
            if (starts[i] - lastSlow > CLUSTER_GAP_NANOS) {
              clusters++;
              tally(size, clustersBySize, callsBySize);
              size = 0;
            }
            size++;
            lastSlow = starts[i];
          }
        }
        tally(size, clustersBySize, callsBySize);
        System.out.printf(
            "round %d: %,d calls in %.2f s, p50 %,d ns, p90 %,d ns, p99 %,d ns, p99.9 %,d ns;"
                + " over 5 us: %,d (%.2f %%) in %,d clusters%n",
            round,
            n,
            (starts[n - 1] - starts[0]) / 1e9,
            sorted[n / 2],
            sorted[(int) (n * 0.9)],
            sorted[(int) (n * 0.99)],
            sorted[(int) (n * 0.999)],
            slow,
            100.0 * slow / n,
            clusters);
        StringBuilder bySize = new StringBuilder("  clusters of 1, 2, 3-4, 5-16, 17+ slow calls:");
        for (int b = 0; b < SIZE_BOUNDS.length; b++) {
          bySize.append(String.format(" %,d (%,d calls)", clustersBySize[b], callsBySize[b]));
        }
        System.out.println(bySize);
      }
    }
  }

  /* Counts a cluster of `size` slow calls (none if 0) in the bucket of its size. */
  private static void tally(int size, int[] clustersBySize, int[] callsBySize) {
    if (size == 0) {
      return;
    }
    int b = 0;
    while (size > SIZE_BOUNDS[b]) {
      b++;
    }
    clustersBySize[b]++;
    callsBySize[b] += size;
  }
}

package dev.supervision.benchmarks;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import java.util.Arrays;

/**
 * Call round trips timed one by one, outside JMH: a virtual thread calls one server {@code n} times
 * per round and prints the percentiles of every call of the round (JMH's sample mode times a sample
 * of them). Rounds before the last ones are warm-up; read the last.
 *
 * <pre>java -cp benchmarks.jar dev.supervision.benchmarks.CallLatency 2000000 6</pre>
 */
public final class CallLatency {
  private CallLatency() {}

  public static void main(String[] args) throws InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    try (Node node = Node.create("latency")) {
      Pid server = GenServer.start(node, Echo::new);
      long[] nanos = new long[n];
      Object request = "ping";
      for (int round = 1; round <= rounds; round++) {
        Thread caller =
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = 0; i < n; i++) {
                        long start = System.nanoTime();
                        GenServer.call(server, request);
                        nanos[i] = System.nanoTime() - start;
                      }
                    });
        caller.join();
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(
            "round %d: %,d calls, p50 %,d ns, p90 %,d ns, p99 %,d ns, p99.9 %,d ns%n",
            round,
            n,
            sorted[n / 2],
            sorted[(int) (n * 0.9)],
            sorted[(int) (n * 0.99)],
            sorted[(int) (n * 0.999)]);
      }
    }
  }
}

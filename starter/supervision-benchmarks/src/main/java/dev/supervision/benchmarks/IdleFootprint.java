package dev.supervision.benchmarks;

import dev.supervision.core.process.Node;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Start rate and heap per idle server, outside JMH (the measure is a heap difference, not a time):
 * starts N idle servers, forces collection, and reports the retained heap per server; then the same
 * for N bare virtual threads blocked on a LinkedBlockingQueue.
 *
 * <pre>java -Xmx2g -cp benchmarks.jar dev.supervision.benchmarks.IdleFootprint 1000000</pre>
 */
public final class IdleFootprint {
  private IdleFootprint() {}

  /** An idle server. */
  static final class Idle implements Server<Idle.Message> {
    /** Idle's protocol: an enum with no constant, so that no message can be sent to it. */
    enum Message {}

    @Override
    public void handle(Message message) {
      // unreachable: Message has no value
    }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    String which = args.length > 1 ? args[1] : "both";
    if (!which.equals("bare")) {
      servers(n);
    }
    if (!which.equals("servers")) {
      bare(n);
    }
  }

  private static void servers(int n) throws Exception {
    long before = usedAfterGc();
    try (Node node = Node.create("footprint")) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        GenServer.start(node, Idle::new);
      }
      long nanos = System.nanoTime() - start;
      long after = usedAfterGc();
      report("servers", n, nanos, after - before, node.processCount());
    }
  }

  private static void bare(int n) throws Exception {
    long before = usedAfterGc();
    List<LinkedBlockingQueue<Object>> queues = new ArrayList<>(n);
    List<Thread> threads = new ArrayList<>(n);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
      queues.add(q);
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      q.take();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    long nanos = System.nanoTime() - start;
    // let every thread reach take() and park
    for (int round = 0; round < 50 && !allParked(threads); round++) {
      Thread.onSpinWait();
      Thread.yield();
    }
    long after = usedAfterGc();
    report("bare virtual threads", n, nanos, after - before - (long) n * 8, n);
    for (LinkedBlockingQueue<Object> q : queues) {
      q.add(Boolean.TRUE);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private static boolean allParked(List<Thread> threads) {
    for (Thread t : threads) {
      if (t.getState() != Thread.State.WAITING) {
        return false;
      }
    }
    return true;
  }

  private static long usedAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static void report(String what, int n, long nanos, long bytes, int alive) {
    System.out.printf(
        "%s: %,d started in %.2f s (%,.0f/s); %,d alive; retained heap %,d bytes = %.0f bytes"
            + " each%n",
        what, n, nanos / 1e9, n / (nanos / 1e9), alive, bytes, (double) bytes / n);
  }
}

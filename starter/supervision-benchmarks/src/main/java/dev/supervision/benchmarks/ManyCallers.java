package dev.supervision.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.supervision.core.process.Node;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many callers of one server, outside JMH: what the callers' spinning costs when they queue. Each
 * of {@code callers} threads (platform, or virtual with {@code virtual}) calls one server in a loop
 * for 3 s; the server busy-works {@code workMicros} per call. Prints, per round, the calls per
 * second and how many cores the process kept busy (its CPU time over the wall time). Rounds before
 * the last are warm-up.
 *
 * <pre>java -cp benchmarks.jar dev.supervision.benchmarks.ManyCallers 16 0 [virtual]</pre>
 */
public final class ManyCallers {
  private static final int ROUNDS = 3;
  private static final Duration ROUND = Duration.ofSeconds(3);

  private ManyCallers() {}

  public static void main(String[] args) throws InterruptedException {
    int callers = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    long workNanos = (args.length > 1 ? Long.parseLong(args[1]) : 0L) * 1_000L;
    boolean virtual = args.length > 2 && args[2].equals("virtual");
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Node node = Node.create("many-callers")) {
      ServerRef<Busy.Message> server = GenServer.start(node, () -> new Busy(workNanos));
      for (int round = 1; round <= ROUNDS; round++) {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        Runnable loop =
            () -> {
              while (!stop.get()) {
                server.<String>call(replyTo -> new Busy.Work("x", replyTo));
                calls.increment();
              }
            };
        Thread[] threads = new Thread[callers];
        for (int i = 0; i < callers; i++) {
          threads[i] = virtual ? Thread.ofVirtual().start(loop) : Thread.ofPlatform().start(loop);
        }
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        Thread.sleep(ROUND);
        long wall = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long done = calls.sum();
        stop.set(true);
        for (Thread thread : threads) {
          thread.join();
        }
        System.out.printf(
            "round %d: %d %s callers, %d µs per call: %.3f M calls/s, %.2f cores busy%n",
            round,
            callers,
            virtual ? "virtual" : "platform",
            workNanos / 1_000L,
            done / (wall / 1e3),
            cpu / (double) wall);
      }
    }
  }

  /* Answers each call after busy-working for a fixed time. */
  private static final class Busy implements Server<Busy.Message> {
    sealed interface Message {}

    /* A call answered with its payload after the work. */
    record Work(String payload, ReplyTo<String> replyTo) implements Message {}

    private final long workNanos;

    Busy(long workNanos) {
      this.workNanos = workNanos;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Work(var payload, var replyTo) -> {
          long end = System.nanoTime() + workNanos;
          while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
          }
          replyTo.reply(payload);
        }
      }
    }
  }
}

package dev.supervision.benchmarks;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scatter-gather over 10,000 servers: a gathering process casts a request to every server and
 * collects the 10,000 answers from its mailbox. The bare equivalent: 10,000 virtual threads on
 * LinkedBlockingQueues answering into the gatherer's LinkedBlockingQueue.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ScatterGatherBenchmark {
  static final int SERVERS = 10_000;

  record Answer(int index) {}

  /** Answers every Ask with an Answer sent to the asker. */
  static final class Responder implements Server<Responder.Message> {
    sealed interface Message {}

    /** A cast asking for an Answer sent to {@code from}. */
    record Ask(Pid from, int index) implements Message {}

    @Override
    public void handle(Message message) {
      switch (message) {
        case Ask(var from, var index) -> from.send(new Answer(index));
      }
    }
  }

  private Node node;
  private final List<ServerRef<Responder.Message>> servers = new ArrayList<>();
  private final List<LinkedBlockingQueue<Object>> bareInboxes = new ArrayList<>();
  private final List<Thread> bareThreads = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() {
    node = Node.create("bench");
    for (int i = 0; i < SERVERS; i++) {
      servers.add(GenServer.start(node, Responder::new));
      LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
      bareInboxes.add(inbox);
      bareThreads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        Object m = inbox.take();
                        if (m instanceof BareAsk ask) {
                          ask.replies().add(ask.index());
                        } else {
                          return;
                        }
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
  }

  record BareAsk(LinkedBlockingQueue<Integer> replies, int index) {}

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    for (LinkedBlockingQueue<Object> inbox : bareInboxes) {
      inbox.add(Boolean.FALSE);
    }
    for (Thread t : bareThreads) {
      t.join();
    }
    node.close();
  }

  @Benchmark
  public long processes() throws Exception {
    CompletableFuture<Long> sum = new CompletableFuture<>();
    node.spawn(
        self -> {
          for (int i = 0; i < SERVERS; i++) {
            servers.get(i).cast(new Responder.Ask(self.self(), i));
          }
          long total = 0;
          for (int i = 0; i < SERVERS; i++) {
            switch (self.receive()) {
              case Answer(int index) -> total += index;
              case Object other -> throw new IllegalStateException("not an answer: " + other);
            }
          }
          sum.complete(total);
        });
    return sum.get();
  }

  @Benchmark
  public long bareThreadsAndQueues() throws Exception {
    LinkedBlockingQueue<Integer> replies = new LinkedBlockingQueue<>();
    for (int i = 0; i < SERVERS; i++) {
      bareInboxes.get(i).add(new BareAsk(replies, i));
    }
    long total = 0;
    for (int i = 0; i < SERVERS; i++) {
      total += replies.take();
    }
    return total;
  }
}

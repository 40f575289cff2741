package dev.supervision.benchmarks;

import dev.supervision.core.process.Node;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cast throughput into one server, end to end: each invocation sends a batch of casts and then one
 * call, which returns only after the server has handled every cast before it. So the figure is
 * messages handled per second, not just enqueued.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CastBenchmark {
  static final int BATCH = 10_000;
  private static final Object MESSAGE = "m";

  private Node node;
  private ServerRef<Echo.Message> server;
  private BareServer bare;

  @Setup(Level.Trial)
  public void setUp() {
    node = Node.create("bench");
    server = GenServer.start(node, Echo::new);
    bare = new BareServer();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    bare.close();
    node.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object genServerCast() {
    for (int i = 0; i < BATCH; i++) {
      server.cast(Echo.Tick.INSTANCE);
    }
    return server.call(Echo.Casts::new);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object bareLinkedBlockingQueue() throws Exception {
    for (int i = 0; i < BATCH; i++) {
      bare.cast(MESSAGE);
    }
    return bare.call(BareServer.COUNT);
  }
}

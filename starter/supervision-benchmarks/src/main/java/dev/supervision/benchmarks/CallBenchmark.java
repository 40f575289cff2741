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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Call round trip: one caller (a platform thread), one server; sample mode gives p50 and p99. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CallBenchmark {
  private static final String PING = "ping";

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
  public String genServerCall() {
    return server.call(replyTo -> new Echo.Ping(PING, replyTo));
  }

  @Benchmark
  public Object bareQueueAndFuture() throws Exception {
    return bare.call(PING);
  }
}

package dev.supervision.benchmarks;

import dev.supervision.core.balance.BalanceStrategy;
import dev.supervision.core.balance.LoadBalancers;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.process.Node;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** Round-robin selection from two threads, beside a bare AtomicInteger increment and modulo. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class BalancerBenchmark {
  static final int WORKERS = 8;

  private Node node;
  private WorkerPool<Echo.Message> pool;
  private WorkerPool<Echo.Message> leastLoaded;
  private final AtomicInteger counter = new AtomicInteger();
  private final Object[] workers = new Object[WORKERS];

  @Setup(Level.Trial)
  public void setUp() {
    node = Node.create("bench");
    pool = LoadBalancers.pool(node, "rr", WORKERS, Echo::new, BalanceStrategy.ROUND_ROBIN);
    leastLoaded = LoadBalancers.pool(node, "ll", WORKERS, Echo::new, BalanceStrategy.LEAST_LOADED);
    for (int i = 0; i < WORKERS; i++) {
      workers[i] = new Object();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
    leastLoaded.close();
    node.close();
  }

  @Benchmark
  @Threads(2)
  public Object roundRobinSelect() {
    return pool.select();
  }

  @Benchmark
  @Threads(2)
  public Object leastLoadedSelect() {
    return leastLoaded.select();
  }

  @Benchmark
  @Threads(2)
  public Object bareAtomicInteger() {
    return workers[(counter.getAndIncrement() & Integer.MAX_VALUE) % WORKERS];
  }
}

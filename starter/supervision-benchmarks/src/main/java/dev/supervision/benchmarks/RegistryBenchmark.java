package dev.supervision.benchmarks;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Registry lookups from two threads, and register+unregister pairs from two processes, each beside
 * the same operations on a bare ConcurrentHashMap.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RegistryBenchmark {
  static final int KEYS = 1024;
  static final int PAIRS = 100_000;

  /** An idle server to register. */
  static final class Idle implements Server<Idle.Message> {
    /** Idle's protocol: an enum with no constant, so that no message can be sent to it. */
    enum Message {}

    @Override
    public void handle(Message message) {
      // unreachable: Message has no value
    }
  }

  private Node node;
  private Registry<String, Object> registry;
  private final ConcurrentHashMap<String, Pid> map = new ConcurrentHashMap<>();
  private final List<String> keys = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() {
    node = Node.create("bench");
    registry = Registry.unique(node, "bench");
    for (int i = 0; i < KEYS; i++) {
      String key = "room:" + i;
      keys.add(key);
      ServerRef<Idle.Message> server =
          GenServer.start(node, Idle::new, StartOptions.named(registry.via(key)));
      map.put(key, server.pid());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    registry.close();
    node.close();
  }

  @Benchmark
  @Threads(2)
  public Object registryLookup() {
    return registry.whereis(keys.get(ThreadLocalRandom.current().nextInt(KEYS)));
  }

  @Benchmark
  @Threads(2)
  public @org.jspecify.annotations.Nullable Object concurrentHashMapGet() {
    return map.get(keys.get(ThreadLocalRandom.current().nextInt(KEYS)));
  }

  /** Two processes each register and unregister PAIRS keys of their own. */
  @Benchmark
  @OperationsPerInvocation(2 * PAIRS)
  public void registryRegisterUnregister() throws Exception {
    CompletableFuture<Void> a = new CompletableFuture<>();
    CompletableFuture<Void> b = new CompletableFuture<>();
    node.spawn(self -> pairs(self.self().id(), a));
    node.spawn(self -> pairs(self.self().id(), b));
    a.get();
    b.get();
  }

  private void pairs(long owner, CompletableFuture<Void> done) {
    String prefix = "k" + owner + ":";
    String[] names = new String[64];
    for (int i = 0; i < names.length; i++) {
      names[i] = prefix + i;
    }
    for (int i = 0; i < PAIRS; i++) {
      String key = names[i & 63];
      registry.register(key, Boolean.TRUE);
      registry.unregister(key);
    }
    done.complete(null);
  }

  /** Two virtual threads each put and remove PAIRS keys of their own. */
  @Benchmark
  @OperationsPerInvocation(2 * PAIRS)
  public void concurrentHashMapPutRemove() throws Exception {
    Pid owner = map.values().iterator().next();
    Thread a = Thread.ofVirtual().start(() -> putRemove("a", owner));
    Thread b = Thread.ofVirtual().start(() -> putRemove("b", owner));
    a.join();
    b.join();
  }

  private void putRemove(String prefix, Pid owner) {
    String[] names = new String[64];
    for (int i = 0; i < names.length; i++) {
      names[i] = prefix + i;
    }
    for (int i = 0; i < PAIRS; i++) {
      String key = names[i & 63];
      map.put(key, owner);
      map.remove(key);
    }
  }
}

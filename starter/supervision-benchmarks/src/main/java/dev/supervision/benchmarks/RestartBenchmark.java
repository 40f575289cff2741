package dev.supervision.benchmarks;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * Restart latency: from the moment a call makes the child crash until its replacement answers a
 * call. The supervisor's intensity is set so high that it never gives up during the run. The bare
 * equivalent: a watcher virtual thread joins the worker thread and starts a new one.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RestartBenchmark {
  private Node node;
  private final AtomicReference<CompletableFuture<Pid>> next = new AtomicReference<>();
  private volatile ServerRef<Echo.Message> current;
  private BareSupervised bare;

  @Setup(Level.Trial)
  public void setUp() {
    node = Node.create("bench");
    EventBus.of(node)
        .subscribe(
            event -> {
              if (event instanceof SupervisionEvent.ChildRestarted restarted) {
                CompletableFuture<Pid> waiting = next.get();
                if (waiting != null) {
                  waiting.complete(restarted.pid());
                }
              }
            });
    SupervisorRef sup =
        Supervisor.start(
            node,
            SupervisorSpec.of("bench", Strategy.ONE_FOR_ONE)
                .withIntensity(Integer.MAX_VALUE, Duration.ofSeconds(1))
                .withChildren(ChildSpec.server("echo", Echo::new)));
    current = ServerRef.of(sup.whichChildren().get(0).runningPid().orElseThrow());
    bare = new BareSupervised();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    bare.close();
    node.close();
  }

  @Benchmark
  public String supervisorRestart() throws Exception {
    CompletableFuture<Pid> replacement = new CompletableFuture<>();
    next.set(replacement);
    try {
      current.call(Echo.Crash::new);
    } catch (CallException.ServerExited expected) {
      // the crash
    }
    ServerRef<Echo.Message> restarted = ServerRef.of(replacement.get());
    current = restarted;
    return restarted.call(replyTo -> new Echo.Ping("ping", replyTo));
  }

  @Benchmark
  public Object bareThreadRestart() throws Exception {
    return bare.crashAndCallReplacement();
  }

  /* A worker thread per generation; a watcher thread starts the next when one dies. */
  static final class BareSupervised {
    private final AtomicReference<CompletableFuture<BareWorker>> next = new AtomicReference<>();
    private volatile BareWorker current = new BareWorker(this);
    private volatile boolean closed;

    Object crashAndCallReplacement() throws Exception {
      CompletableFuture<BareWorker> replacement = new CompletableFuture<>();
      next.set(replacement);
      current.crash();
      BareWorker worker = replacement.get();
      current = worker;
      return worker.call("ping");
    }

    void died() {
      if (closed) {
        return;
      }
      BareWorker worker = new BareWorker(this);
      CompletableFuture<BareWorker> waiting = next.get();
      if (waiting != null) {
        waiting.complete(worker);
      }
    }

    void close() throws InterruptedException {
      closed = true;
      current.crash();
    }
  }

  static final class BareWorker {
    private final java.util.concurrent.LinkedBlockingQueue<Object> queue =
        new java.util.concurrent.LinkedBlockingQueue<>();

    BareWorker(BareSupervised owner) {
      Thread worker =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        Object m = queue.take();
                        if (m instanceof BareServer.Call c) {
                          c.reply().complete(c.request());
                        } else {
                          throw new IllegalStateException("crash");
                        }
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } catch (IllegalStateException crashed) {
                      // the thread ends, as a crashed process would; the watcher restarts it
                    }
                  });
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  worker.join();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                owner.died();
              });
    }

    void crash() {
      queue.add(Boolean.TRUE);
    }

    Object call(Object request) throws Exception {
      CompletableFuture<Object> reply = new CompletableFuture<>();
      queue.add(new BareServer.Call(request, reply));
      return reply.get();
    }
  }
}

package dev.supervision.core.balance;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A worker for balancer tests: tells who it is, crashes, blocks or records casts on request. */
final class Worker implements Server {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  enum WhoAmI {
    INSTANCE
  }

  enum Crash {
    INSTANCE
  }

  /** Blocks the worker until {@code release} opens, so that its mailbox fills up. */
  record Block(CountDownLatch release) {}

  /** Records {@code (worker, message)} in {@code sink}. */
  record Note(Object message, Queue<Received> sink) {}

  record Received(Pid worker, Object message) {}

  /** Code a worker runs in its own process during init (a gate, a registration). */
  @FunctionalInterface
  interface Init {
    void run(Pid self) throws Exception;
  }

  private final Init init;
  private @Nullable Pid self;

  Worker() {
    this(self -> {});
  }

  Worker(Init init) {
    this.init = init;
  }

  @Override
  public void init(ServerContext context) throws Exception {
    self = context.self();
    init.run(context.self());
  }

  @Override
  public void handleCall(Object request, ReplyTo replyTo) {
    if (request == WhoAmI.INSTANCE) {
      replyTo.reply(self);
    } else {
      replyTo.reply(request);
    }
  }

  @Override
  public void handleCast(Object message) throws Exception {
    switch (message) {
      case Crash c -> throw new IllegalStateException("worker crashed on request");
      case Block(CountDownLatch release) -> release.await();
      case Note(Object m, Queue<Received> sink) -> sink.add(new Received(requireSelf(), m));
      default -> {}
    }
  }

  private Pid requireSelf() {
    Pid s = self;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s;
  }

  static CompletableFuture<ExitReason> watch(Pid pid) {
    CompletableFuture<ExitReason> exit = new CompletableFuture<>();
    pid.node().monitor(pid, (p, reason) -> exit.complete(reason));
    return exit;
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result within " + TIMEOUT, e);
    }
  }
}

package dev.supervision.core.balance;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A worker for balancer tests: tells who it is, crashes, blocks or records casts on request. */
final class Worker implements Server<Worker.Message> {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** What a worker understands. */
  sealed interface Message {}

  /** A call answered with the worker's pid. */
  record WhoAmI(ReplyTo<Pid> replyTo) implements Message {}

  /** A call answered with {@code text}. */
  record Echo(String text, ReplyTo<String> replyTo) implements Message {}

  /** Makes the worker crash. */
  enum Crash implements Message {
    INSTANCE
  }

  /** A cast the worker ignores, to fill its mailbox. */
  enum Noise implements Message {
    INSTANCE
  }

  /** Blocks the worker until {@code release} opens, so that its mailbox fills up. */
  record Block(CountDownLatch release) implements Message {}

  /** Records {@code (worker, message)} in {@code sink}. */
  record Note(Object message, Queue<Received> sink) implements Message {}

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

  /** A handle on the worker at {@code pid}, such as one a balancer selected. */
  static ServerRef<Message> ref(Pid pid) {
    return ServerRef.of(pid);
  }

  @Override
  public void init(ServerContext<Message> context) throws Exception {
    Pid pid = context.process().self();
    self = pid;
    init.run(pid);
  }

  @Override
  public void handle(Message message) throws Exception {
    switch (message) {
      case WhoAmI(var replyTo) -> replyTo.reply(requireSelf());
      case Echo(var text, var replyTo) -> replyTo.reply(text);
      case Crash c -> throw new IllegalStateException("worker crashed on request");
      case Noise n -> {}
      case Block(var release) -> release.await();
      case Note(var m, var sink) -> sink.add(new Received(requireSelf(), m));
    }
  }

  private Pid requireSelf() {
    Pid s = self;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s;
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result within " + TIMEOUT, e);
    }
  }
}

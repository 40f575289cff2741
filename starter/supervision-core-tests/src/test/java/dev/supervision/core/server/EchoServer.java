package dev.supervision.core.server;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/*
 * A server for tests: answers a call with its request unless the request says otherwise, and
 * records what happens to it as Events in a list that the test reads.
 */
class EchoServer implements Server {

  record Event(String kind, @Nullable Object what) {}

  /** Call or cast: throw {@code error}. */
  record Crash(Exception error) {}

  /** Call: keep the ReplyTo without replying. */
  enum Defer {
    INSTANCE
  }

  /** Cast: reply {@code value} to the oldest deferred call; records whether it was delivered. */
  record ReplyDeferred(Object value) {}

  /** Call: reply null. */
  enum ReplyNull {
    INSTANCE
  }

  /**
   * Call: count {@code entered} down, wait for {@code release}, then throw {@code then} or reply.
   */
  record Block(CountDownLatch entered, CountDownLatch release, @Nullable Exception then) {
    Block() {
      this(new CountDownLatch(1), new CountDownLatch(1), null);
    }

    Block(Exception then) {
      this(new CountDownLatch(1), new CountDownLatch(1), then);
    }
  }

  /** Call: call this very server; replies with the class of the exception that gives. */
  enum CallSelf {
    INSTANCE
  }

  /** Call: stop this very server with GenServer.stop; replies with the exception's class. */
  enum StopSelf {
    INSTANCE
  }

  /** Cast: stop through ServerContext.stop. */
  record StopWith(ExitReason reason) {}

  /** Call: reply {@code value}, then stop with {@code reason}. */
  record ReplyThenStop(Object value, ExitReason reason) {}

  /** Call: monitor {@code target}; replies with the MonitorRef. */
  record Monitor(Pid target) {}

  private final List<Event> events;
  private final boolean trapExits;
  private final CompletableFuture<ExitReason> terminated = new CompletableFuture<>();
  private final ArrayDeque<ReplyTo> deferred = new ArrayDeque<>();
  private @Nullable ServerContext context;

  EchoServer(List<Event> events) {
    this(events, false);
  }

  EchoServer(List<Event> events, boolean trapExits) {
    this.events = events;
    this.trapExits = trapExits;
  }

  CompletableFuture<ExitReason> terminated() {
    return terminated;
  }

  private ServerContext context() {
    ServerContext c = context;
    if (c == null) {
      throw new IllegalStateException("not started");
    }
    return c;
  }

  @Override
  public void init(ServerContext context) throws Exception {
    this.context = context;
    if (trapExits) {
      context.process().trapExits(true);
    }
    events.add(new Event("init", context.self()));
  }

  @Override
  public void handleCall(Object request, ReplyTo replyTo) throws Exception {
    switch (request) {
      case Crash crash -> throw crash.error();
      case Defer d -> {
        deferred.add(replyTo);
        events.add(new Event("deferred", replyTo.isWaiting()));
      }
      case ReplyNull n -> replyTo.reply(null);
      case Block block -> {
        block.entered().countDown();
        block.release().await();
        Exception then = block.then();
        if (then != null) {
          throw then;
        }
        replyTo.reply("released");
      }
      case CallSelf c -> {
        try {
          replyTo.reply(GenServer.call(context().self(), "ping"));
        } catch (CallException e) {
          replyTo.reply(e.getClass());
        }
      }
      case StopSelf s -> {
        try {
          GenServer.stop(context().self());
          replyTo.reply("stopped");
        } catch (CallException e) {
          replyTo.reply(e.getClass());
        }
      }
      case ReplyThenStop r -> {
        replyTo.reply(r.value());
        context().stop(r.reason());
      }
      case Monitor m -> replyTo.reply(context().process().monitor(m.target()));
      default -> replyTo.reply(request);
    }
  }

  @Override
  public void handleCast(Object message) throws Exception {
    switch (message) {
      case Crash crash -> throw crash.error();
      case ReplyDeferred r -> {
        ReplyTo replyTo = deferred.poll();
        events.add(new Event("late reply", replyTo != null && replyTo.reply(r.value())));
      }
      case StopWith s -> context().stop(s.reason());
      default -> events.add(new Event("cast", message));
    }
  }

  @Override
  public void handleInfo(Object message) {
    events.add(new Event("info", message));
  }

  @Override
  public void terminate(ExitReason reason) {
    events.add(new Event("terminate", reason));
    terminated.complete(reason);
  }
}

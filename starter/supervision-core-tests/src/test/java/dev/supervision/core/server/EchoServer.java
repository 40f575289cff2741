package dev.supervision.core.server;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Pid;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/*
 * A server for tests: answers an Echo with its value, does what the other messages say, and
 * records what happens to it as Events in a list that the test reads.
 */
class EchoServer implements Server<EchoServer.Message> {

  record Event(String kind, @Nullable Object what) {}

  sealed interface Message {}

  /** Call: reply {@code value}. */
  record Echo<T>(T value, ReplyTo<T> replyTo) implements Message {
    /** The call of an Echo of {@code value}. */
    static <T> Function<ReplyTo<T>, Message> of(T value) {
      return replyTo -> new Echo<>(value, replyTo);
    }
  }

  /** Cast: record {@code value} as a "cast" event. */
  record Note(Object value) implements Message {}

  /** Cast: throw {@code error}. */
  record Crash(Exception error) implements Message {}

  /** Call: throw {@code error}. */
  record CrashOnCall(Exception error, ReplyTo<String> replyTo) implements Message {}

  /** Call: keep the ReplyTo without replying. */
  record Defer(ReplyTo<String> replyTo) implements Message {}

  /** Cast: reply {@code value} to the oldest deferred call; records whether it was delivered. */
  record ReplyDeferred(String value) implements Message {}

  /** Call: reply null. */
  record ReplyNull(ReplyTo<@Nullable String> replyTo) implements Message {}

  /**
   * Where a {@link Block} call waits: it counts {@code entered} down, waits for {@code release},
   * then throws {@code then} or replies "released".
   */
  record Gate(CountDownLatch entered, CountDownLatch release, @Nullable Exception then) {
    /** The call that passes through this gate. */
    Block block(ReplyTo<String> replyTo) {
      return new Block(this, replyTo);
    }

    Gate() {
      this(new CountDownLatch(1), new CountDownLatch(1), null);
    }

    Gate(Exception then) {
      this(new CountDownLatch(1), new CountDownLatch(1), then);
    }
  }

  /** Call: pass through {@code gate}. */
  record Block(Gate gate, ReplyTo<String> replyTo) implements Message {}

  /** Call: call this very server; replies with what that gives, or the class of its exception. */
  record CallSelf(ReplyTo<Object> replyTo) implements Message {}

  /** Call: stop this very server with its ServerRef; replies "stopped" or the exception's class. */
  record StopSelf(ReplyTo<Object> replyTo) implements Message {}

  /** Cast: stop through ServerContext.stop. */
  record StopWith(ExitReason reason) implements Message {}

  /** Call: reply {@code value}, then stop with {@code reason}. */
  record ReplyThenStop(String value, ExitReason reason, ReplyTo<String> replyTo)
      implements Message {}

  /** Call: monitor {@code target}; replies with the MonitorRef. */
  record Monitor(Pid target, ReplyTo<MonitorRef> replyTo) implements Message {}

  /** Call: answer init with ignore although init is over; replies with what that gives. */
  record IgnoreLate(ReplyTo<String> replyTo) implements Message {}

  private final List<Event> events;
  private final boolean trapExits;
  private final CompletableFuture<ExitReason> terminated = new CompletableFuture<>();
  private final ArrayDeque<ReplyTo<String>> deferred = new ArrayDeque<>();
  private @Nullable ServerContext<Message> context;

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

  private ServerContext<Message> context() {
    ServerContext<Message> c = context;
    if (c == null) {
      throw new IllegalStateException("not started");
    }
    return c;
  }

  @Override
  public void init(ServerContext<Message> context) throws Exception {
    this.context = context;
    if (trapExits) {
      context.process().trapExits(true);
    }
    events.add(new Event("init", context.self()));
  }

  @Override
  public void handle(Message message) throws Exception {
    switch (message) {
      case Echo<?> echo -> answer(echo);
      case Note(var value) -> events.add(new Event("cast", value));
      case Crash(var error) -> throw error;
      case CrashOnCall(var error, var replyTo) -> throw error;
      case Defer(var replyTo) -> {
        deferred.add(replyTo);
        events.add(new Event("deferred", replyTo.isWaiting()));
      }
      case ReplyDeferred(var value) -> {
        ReplyTo<String> replyTo = deferred.poll();
        events.add(new Event("late reply", replyTo != null && replyTo.reply(value)));
      }
      case ReplyNull(var replyTo) -> replyTo.reply(null);
      case Block(var gate, var replyTo) -> {
        gate.entered().countDown();
        gate.release().await();
        Exception then = gate.then();
        if (then != null) {
          throw then;
        }
        replyTo.reply("released");
      }
      case CallSelf(var replyTo) -> {
        try {
          replyTo.reply(context().self().call(r -> new Echo<>("ping", r)));
        } catch (CallException e) {
          replyTo.reply(e.getClass());
        }
      }
      case StopSelf(var replyTo) -> {
        try {
          context().self().stop();
          replyTo.reply("stopped");
        } catch (CallException e) {
          replyTo.reply(e.getClass());
        }
      }
      case StopWith(var reason) -> context().stop(reason);
      case ReplyThenStop(var value, var reason, var replyTo) -> {
        replyTo.reply(value);
        context().stop(reason);
      }
      case Monitor(var target, var replyTo) -> replyTo.reply(context().process().monitor(target));
      case IgnoreLate(var replyTo) -> {
        try {
          context().ignore();
          replyTo.reply("ignored");
        } catch (IllegalStateException e) {
          replyTo.reply(String.valueOf(e.getMessage()));
        }
      }
    }
  }

  private static <T> void answer(Echo<T> echo) {
    echo.replyTo().reply(echo.value());
  }

  /* Calls `server` with an Echo of `value`: answered once everything sent before is handled. */
  static <T> T echo(ServerRef<Message> server, T value) {
    return server.call(Echo.of(value));
  }

  @Override
  public void handleInfo(Info info) {
    events.add(new Event("info", info));
  }

  @Override
  public void terminate(ExitReason reason) {
    events.add(new Event("terminate", reason));
    terminated.complete(reason);
  }
}

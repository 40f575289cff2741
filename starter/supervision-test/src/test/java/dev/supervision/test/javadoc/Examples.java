package dev.supervision.test.javadoc;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.Info;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import java.time.Duration;

/* The servers and messages that the test kit's Javadoc examples use. */
@SuppressWarnings("SameNameButDifferent") // each server nests its own Message (STYLE.md)
final class Examples {
  private Examples() {}

  /*
   * The Javadoc's counter: Increment adds, Get answers the total. After every callback it asks for
   * a callback timeout of 30 s, and counts the timeouts that fire (its idle ticks).
   */
  static final class Counter implements Server<Counter.Message> {
    static final Duration IDLE = Duration.ofSeconds(30);

    sealed interface Message {}

    record Increment(long by) implements Message {}

    record Get(ReplyTo<Long> replyTo) implements Message {}

    record IdleTicks(ReplyTo<Integer> replyTo) implements Message {}

    private ServerContext<Message> context;
    private long value;
    private int idleTicks;

    @Override
    public void init(ServerContext<Message> context) {
      this.context = context;
      context.timeoutAfter(IDLE);
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Increment(long by) -> value += by;
        case Get(var replyTo) -> replyTo.reply(value);
        case IdleTicks(var replyTo) -> replyTo.reply(idleTicks);
      }
      context.timeoutAfter(IDLE);
    }

    @Override
    public void handleInfo(Info info) {
      switch (info) {
        case Info.Timeout timeout -> idleTicks++;
        case Info.Down down -> Info.logUnexpected(getClass(), info);
        case Info.Exit exit -> Info.logUnexpected(getClass(), info);
        case Info.Message unexpected -> Info.logUnexpected(getClass(), info);
      }
      context.timeoutAfter(IDLE);
    }
  }

  record User(String name) {}

  /* Looks users up by name; every name is a user. */
  static final class Users implements Server<Users.Message> {
    sealed interface Message {}

    record Lookup(String name, ReplyTo<User> replyTo) implements Message {}

    @Override
    public void handle(Message message) {
      switch (message) {
        case Lookup(var name, var replyTo) -> replyTo.reply(new User(name));
      }
    }
  }

  /* The TestProbe example's protocol: a subscriber asks to hear of events. */
  record Subscribe(Pid subscriber) {}

  record Event(String what) {}
}

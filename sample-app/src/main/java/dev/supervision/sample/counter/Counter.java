package dev.supervision.sample.counter;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.sample.Crash;

/**
 * One counter: a server whose state is its value. A crash loses the value; the restarted instance
 * starts again at zero, as any restarted OTP process starts from its initial state.
 */
final class Counter implements Server<Counter.Message> {

  /** The messages of a counter. */
  sealed interface Message {}

  /** Adds one (a cast). */
  enum Increment implements Message {
    INSTANCE
  }

  /** Answers the value (a call). */
  record Get(ReplyTo<Long> replyTo) implements Message {}

  /** Makes the counter fail (a cast). */
  enum Fail implements Message {
    INSTANCE
  }

  private final String name;
  private long value;

  Counter(String name) {
    this.name = name;
  }

  @Override
  public void handle(Message message) {
    switch (message) {
      case Increment i -> value++;
      case Get(var replyTo) -> replyTo.reply(value);
      case Fail f -> throw new Crash("counter '" + name + "'");
    }
  }
}

package dev.supervision.sample.counter;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.sample.Crash;

/**
 * One counter: a server whose state is its value. A crash loses the value; the restarted instance
 * starts again at zero, as any restarted OTP process starts from its initial state.
 */
final class Counter implements Server {

  /** The messages of a counter. */
  sealed interface Message {}

  /** Adds one (a cast). */
  enum Increment implements Message {
    INSTANCE
  }

  /** Answers the value (a call). */
  enum Get implements Message {
    INSTANCE
  }

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
  public void handleCast(Object message) {
    switch ((Message) message) {
      case Increment i -> value++;
      case Fail f -> throw new Crash("counter '" + name + "'");
      case Get g -> throw new IllegalArgumentException("Get is a call, not a cast");
    }
  }

  @Override
  public void handleCall(Object request, ReplyTo replyTo) {
    switch ((Message) request) {
      case Get g -> replyTo.reply(value);
      case Increment i -> throw new IllegalArgumentException("Increment is a cast, not a call");
      case Fail f -> throw new IllegalArgumentException("Fail is a cast, not a call");
    }
  }
}

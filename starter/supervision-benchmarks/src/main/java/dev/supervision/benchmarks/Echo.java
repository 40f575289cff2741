package dev.supervision.benchmarks;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;

/** A server that answers every ping with its payload, counts casts, and crashes on request. */
final class Echo implements Server<Echo.Message> {
  long casts;

  /** Echo's protocol. */
  sealed interface Message {}

  /** A call answered with its payload. */
  record Ping(String payload, ReplyTo<String> replyTo) implements Message {}

  /** A cast the server counts. */
  enum Tick implements Message {
    INSTANCE
  }

  /** A call answered with the number of ticks handled so far. */
  record Casts(ReplyTo<Long> replyTo) implements Message {}

  /** A call that crashes the server instead of answering. */
  record Crash(ReplyTo<String> replyTo) implements Message {}

  @Override
  public void handle(Message message) {
    switch (message) {
      case Ping(var payload, var replyTo) -> replyTo.reply(payload);
      case Tick tick -> casts++;
      case Casts(var replyTo) -> replyTo.reply(casts);
      case Crash crash -> throw new IllegalStateException("crash requested by the benchmark");
    }
  }
}

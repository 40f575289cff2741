package dev.supervision.benchmarks;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;

/** A server that answers every call with its request and counts casts. */
final class Echo implements Server {
  long casts;

  @Override
  public void handleCall(Object request, ReplyTo replyTo) {
    if (request == Sync.COUNT) {
      replyTo.reply(casts);
    } else if (request == Sync.CRASH) {
      throw new IllegalStateException("crash requested by the benchmark");
    } else {
      replyTo.reply(request);
    }
  }

  @Override
  public void handleCast(Object message) {
    casts++;
  }

  enum Sync {
    COUNT,
    CRASH
  }
}

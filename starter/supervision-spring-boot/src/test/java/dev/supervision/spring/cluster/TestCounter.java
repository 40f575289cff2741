package dev.supervision.spring.cluster;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import java.io.Serializable;

/* A counter whose messages may cross members. */
final class TestCounter implements Server<TestCounter.Message> {
  sealed interface Message extends Serializable {}

  record Next(ReplyTo<Long> replyTo) implements Message {}

  private long count;

  @Override
  public void handle(Message message) {
    switch (message) {
      case Next(var replyTo) -> replyTo.reply(++count);
    }
  }
}

package dev.supervision.sample.chat;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import java.time.Instant;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * A worker of the {@code message-writers} pool: stores one message per call through JPA and answers
 * it with its id. Stateless, so a restart loses nothing; a new instance per start and restart.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public final class MessageWriter implements Server<MessageWriter.Request> {

  /** The messages of a writer. */
  public sealed interface Request {}

  /** Stores a message (a call); the reply is the stored {@link Message}. */
  record Store(String room, String user, String content, Instant sentAt, ReplyTo<Message> replyTo)
      implements Request {}

  private final MessageStore store;

  MessageWriter(MessageStore store) {
    this.store = store;
  }

  @Override
  public void handle(Request request) {
    switch (request) {
      case Store(var room, var user, var content, var sentAt, var replyTo) ->
          replyTo.reply(store.store(room, user, content, sentAt));
    }
  }
}

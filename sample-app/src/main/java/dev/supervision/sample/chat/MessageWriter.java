package dev.supervision.sample.chat;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import java.util.List;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * A worker of the {@code message-writers} pool: stores a room's batch of messages per call, in one
 * transaction through JPA, and answers them with their ids. A failing store crashes the writer
 * (nothing of the batch is stored; the caller's call fails). Stateless, so a restart loses nothing;
 * a new instance per start and restart.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public final class MessageWriter implements Server<MessageWriter.Request> {

  /** The messages of a writer. */
  public sealed interface Request {}

  /**
   * Stores {@code messages} in {@code room}, all or nothing (a call); the reply is the stored
   * {@link Message}s, in the same order, with ascending ids.
   */
  record Store(String room, List<MessageStore.NewMessage> messages, ReplyTo<List<Message>> replyTo)
      implements Request {}

  private final MessageStore store;

  MessageWriter(MessageStore store) {
    this.store = store;
  }

  @Override
  public void handle(Request request) {
    switch (request) {
      case Store(var room, var messages, var replyTo) ->
          replyTo.reply(store.storeAll(room, messages));
    }
  }
}

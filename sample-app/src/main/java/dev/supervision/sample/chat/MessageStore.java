package dev.supervision.sample.chat;

import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Stores one message through JPA, in the calling thread: the work of a {@link MessageWriter}, and
 * of the baseline endpoint that does the same without processes.
 */
@Component
public final class MessageStore {
  private final MessageRepository repository;

  MessageStore(MessageRepository repository) {
    this.repository = repository;
  }

  /** Inserts the message and returns it with its id. */
  public Message store(String room, String user, String content, Instant sentAt) {
    return repository.save(new MessageEntity(room, user, content, sentAt)).toMessage();
  }
}

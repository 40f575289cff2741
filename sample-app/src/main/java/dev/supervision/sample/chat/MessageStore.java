package dev.supervision.sample.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores messages through JPA, in the calling thread: a batch in one transaction for a {@link
 * MessageWriter}, one message for the baseline endpoint that does the same work without processes.
 */
@Component
public final class MessageStore {
  private final MessageRepository repository;
  private final TransactionTemplate transaction;

  MessageStore(MessageRepository repository, PlatformTransactionManager transactions) {
    this.repository = repository;
    this.transaction = new TransactionTemplate(transactions);
  }

  /** A message to store: who sent what, when. */
  public record NewMessage(String user, String content, Instant sentAt) {}

  /** Inserts the message and returns it with its id. */
  public Message store(String room, String user, String content, Instant sentAt) {
    return repository.save(new MessageEntity(room, user, content, sentAt)).toMessage();
  }

  /**
   * Inserts {@code messages} into {@code room} in one transaction, in their order, and returns them
   * stored, in the same order; their ids ascend in that order. All or nothing: if one fails, none
   * is stored and the exception is thrown.
   */
  public List<Message> storeAll(String room, List<NewMessage> messages) {
    List<Message> stored =
        transaction.execute(
            status -> {
              List<Message> result = new ArrayList<>(messages.size());
              for (NewMessage m : messages) {
                // An identity id: each insert runs at once, so ids follow the list's order.
                result.add(
                    repository
                        .save(new MessageEntity(room, m.user(), m.content(), m.sentAt()))
                        .toMessage());
              }
              return result;
            });
    return Objects.requireNonNull(stored, "stored");
  }
}

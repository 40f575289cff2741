package dev.supervision.sample.chat;

import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;

/**
 * A room's stored messages, read for the sockets: where a room stands ({@link #newestId}) and what
 * it stored after a given message ({@link #after}). Reads the database in the calling thread,
 * without the room's server, so it answers while a room restarts. Thread-safe.
 */
@Component
public final class MessageHistory {
  private final MessageRepository repository;

  MessageHistory(MessageRepository repository) {
    this.repository = repository;
  }

  /** The id of room {@code room}'s newest stored message, or 0 if it has none. */
  public long newestId(String room) {
    return repository.findFirstByRoomOrderByIdDesc(room).map(m -> m.toMessage().id()).orElse(0L);
  }

  /**
   * At most {@code limit} messages of room {@code room} with an id above {@code after}, oldest
   * first.
   */
  public List<Message> after(String room, long after, int limit) {
    List<MessageEntity> page =
        repository.findByRoomAndIdGreaterThanOrderByIdAsc(room, after, Limit.of(limit));
    List<Message> messages = new ArrayList<>(page.size());
    for (MessageEntity entity : page) {
      messages.add(entity.toMessage());
    }
    return messages;
  }
}

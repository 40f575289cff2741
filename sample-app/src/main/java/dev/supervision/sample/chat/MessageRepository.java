package dev.supervision.sample.chat;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Messages: appended by the writers, read newest first and shown oldest first, and read oldest
 * first after an id for a socket's replay.
 */
interface MessageRepository extends JpaRepository<MessageEntity, Long> {

  long countByRoom(String room);

  List<MessageEntity> findByRoomOrderByIdDesc(String room, Limit limit);

  List<MessageEntity> findByRoomAndIdLessThanOrderByIdDesc(String room, long before, Limit limit);

  /** The room's messages with an id above {@code after}, oldest first: a socket's replay. */
  List<MessageEntity> findByRoomAndIdGreaterThanOrderByIdAsc(String room, long after, Limit limit);

  /** The room's newest message, if it has any. */
  Optional<MessageEntity> findFirstByRoomOrderByIdDesc(String room);
}

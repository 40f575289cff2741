package dev.supervision.sample.chat;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** Messages: appended by the writers, read newest first and shown oldest first. */
interface MessageRepository extends JpaRepository<MessageEntity, Long> {

  long countByRoom(String room);

  List<MessageEntity> findByRoomOrderByIdDesc(String room, Limit limit);

  List<MessageEntity> findByRoomAndIdLessThanOrderByIdDesc(String room, long before, Limit limit);
}

package dev.supervision.sample.chat;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A message, as stored. Ids grow within a room in the order its room server accepted them. */
@Entity
@Table(
    name = "chat_messages",
    indexes = @Index(name = "ix_chat_messages_room_id", columnList = "room, id"))
class MessageEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private @Nullable Long id;

  @Column(nullable = false, length = 32)
  private String room = "";

  @Column(name = "username", nullable = false, length = 32)
  private String user = "";

  /* Up to 4,000 code points, which may take two chars each. */
  @Column(nullable = false, length = 2 * Message.MAX_LENGTH)
  private String content = "";

  @Column(nullable = false)
  private Instant sentAt = Instant.EPOCH;

  protected MessageEntity() {}

  MessageEntity(String room, String user, String content, Instant sentAt) {
    this.room = room;
    this.user = user;
    this.content = content;
    this.sentAt = sentAt;
  }

  Message toMessage() {
    return new Message(Objects.requireNonNull(id, "id"), room, user, content, sentAt);
  }
}

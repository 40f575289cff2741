package dev.supervision.sample.chat;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A room, as stored: rooms outlive the application and are started again after a restart. */
@Entity
@Table(
    name = "chat_rooms",
    uniqueConstraints = @UniqueConstraint(name = "uk_chat_rooms_name", columnNames = "name"))
class RoomEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private @Nullable Long id;

  @Column(nullable = false, length = 32)
  private String name = "";

  @Column(nullable = false)
  private Instant createdAt = Instant.EPOCH;

  protected RoomEntity() {}

  RoomEntity(String name, Instant createdAt) {
    this.name = name;
    this.createdAt = createdAt;
  }

  String name() {
    return name;
  }

  Instant createdAt() {
    return createdAt;
  }
}

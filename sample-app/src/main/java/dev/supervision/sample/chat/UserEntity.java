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

/** A registered user, as stored. */
@Entity
@Table(
    name = "chat_users",
    uniqueConstraints =
        @UniqueConstraint(name = "uk_chat_users_username", columnNames = "username"))
class UserEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private @Nullable Long id;

  @Column(nullable = false, length = 32)
  private String username = "";

  @Column(nullable = false)
  private Instant createdAt = Instant.EPOCH;

  protected UserEntity() {}

  UserEntity(String username, Instant createdAt) {
    this.username = username;
    this.createdAt = createdAt;
  }

  String username() {
    return username;
  }

  Instant createdAt() {
    return createdAt;
  }

  User toUser() {
    return new User(username, createdAt);
  }
}

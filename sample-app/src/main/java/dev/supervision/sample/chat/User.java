package dev.supervision.sample.chat;

import java.time.Instant;

/**
 * A user, as the API shows it.
 *
 * @param username the unique name
 * @param createdAt when the user registered
 */
public record User(String username, Instant createdAt) {}

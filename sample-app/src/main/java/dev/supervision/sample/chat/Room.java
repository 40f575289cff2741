package dev.supervision.sample.chat;

import java.time.Instant;

/**
 * A room, as the API shows it.
 *
 * @param name the unique name
 * @param messageCount how many messages it holds, as its server counts them
 * @param createdAt when it was created
 * @param pid its server's process now, which changes when it restarts
 */
public record Room(String name, long messageCount, Instant createdAt, String pid) {}

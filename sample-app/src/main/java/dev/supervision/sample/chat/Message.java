package dev.supervision.sample.chat;

import java.time.Instant;

/**
 * A stored message, as the API and the room sockets show it.
 *
 * @param id increasing within a room, in the order the room accepted its messages
 * @param room the room's name
 * @param user the sender's username
 * @param content the text, verbatim
 * @param sentAt when the room accepted it (millisecond precision, as stored)
 */
public record Message(long id, String room, String user, String content, Instant sentAt) {
  /** The longest content, in code points. */
  public static final int MAX_LENGTH = 4000;
}

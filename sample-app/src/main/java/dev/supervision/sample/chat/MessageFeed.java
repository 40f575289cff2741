package dev.supervision.sample.chat;

/**
 * Where a room server publishes each message once it is stored: the room sockets. Called on the
 * room's own thread, one message at a time, in the room's order; must not block for long and must
 * not throw.
 */
public interface MessageFeed {

  /** {@code message} was stored in its room. */
  void published(Message message);
}

package dev.supervision.core.internal;

/**
 * A message that wants to know how it was delivered: the runtime tells it, in the sender's thread,
 * right after appending it to a mailbox. A call uses this to choose how long its caller spins for
 * the reply (see CallSlot).
 */
public interface Delivery {

  /**
   * Called once the message is in the receiver's mailbox.
   *
   * @param toIdleReceiver whether the receiver was awake (spinning for a message, not parked) with
   *     no other message before this one, so that it is taking this one at once
   */
  void delivered(boolean toIdleReceiver);
}

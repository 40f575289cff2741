package dev.supervision.core.server;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ReplyTo} for a call message handed straight to {@link Server#handle} on the calling
 * thread, with no process and no {@link ServerRef#call}: what unit tests of a server's handlers use
 * (the test kit's {@code ServerTestKit} is built on it). The reply is read back here instead of
 * being waited for.
 *
 * {@snippet :
 * DirectReply<Long> reply = DirectReply.create();
 * counter.handle(new Counter.Get(reply.replyTo()));
 * long value = reply.value();
 * }
 *
 * <p>The {@link ReplyTo} behaves as a call's does: the first reply wins, later ones return {@code
 * false}; it may be answered from any thread, so a server may keep it and reply later (a deferred
 * reply). Application code calls servers through {@link ServerRef#call}, never through this.
 *
 * @param <R> the answer's type
 */
public final class DirectReply<R extends @Nullable Object> {
  private final CallSlot<R> slot;

  private DirectReply(CallSlot<R> slot) {
    this.slot = slot;
  }

  /** A reply target that nobody has answered yet. */
  public static <R extends @Nullable Object> DirectReply<R> create() {
    return new DirectReply<>(new CallSlot<>(Thread.currentThread()));
  }

  /** The reply target to put in the call message. */
  public ReplyTo<R> replyTo() {
    return slot;
  }

  /** Whether the reply target has been answered. */
  public boolean isAnswered() {
    return !slot.isWaiting();
  }

  /**
   * The answer.
   *
   * @throws IllegalStateException if nobody has answered yet
   */
  @SuppressWarnings({"unchecked", "NullAway"}) // R is what the slot was answered with
  public R value() {
    if (slot.isWaiting()) {
      throw new IllegalStateException("no reply yet");
    }
    Object outcome = slot.await(0L, false); // answered: returns the outcome at once
    if (outcome instanceof CallSlot.Failed || outcome == CallSlot.ABANDONED) {
      /* Unreachable: only the runtime fails or abandons a slot, and it never sees this one. */
      throw new IllegalStateException("not answered: " + outcome);
    }
    return outcome == CallSlot.NULL ? (R) null : (R) outcome;
  }

  @Override
  public String toString() {
    return "DirectReply[" + (slot.isWaiting() ? "waiting" : "answered") + "]";
  }
}

package dev.supervision.core.server;

import org.jspecify.annotations.Nullable;

/**
 * Where the answer to one call goes (OTP's {@code From}), typed by the answer. Only the runtime
 * makes one, for a {@link ServerRef#call} (or a {@link DirectReply}, for a unit test that hands a
 * call straight to {@link Server#handle}, or a {@link ReplyRelay}, for a call that came from
 * another node of a cluster): a message that carries a {@code ReplyTo} is therefore a call. Reply
 * at most once; later replies are ignored, and so is a reply that arrives after the caller stopped
 * waiting (a late reply never reaches anyone, as with OTP's process aliases). May be used from any
 * thread, so a server may keep it and answer later (a deferred reply).
 *
 * @param <R> the answer's type
 */
public sealed interface ReplyTo<R extends @Nullable Object> permits CallSlot, ReplyRelay {

  /**
   * Sends {@code value} to the caller.
   *
   * @return whether the caller received it: false if it was already answered or gave up
   */
  boolean reply(R value);

  /** Whether the caller is still waiting for a reply. */
  boolean isWaiting();
}

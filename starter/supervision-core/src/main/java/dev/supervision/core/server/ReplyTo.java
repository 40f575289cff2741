package dev.supervision.core.server;

import org.jspecify.annotations.Nullable;

/**
 * Where the reply to one call goes (OTP's {@code From}). Reply at most once; later replies are
 * ignored, and so is a reply that arrives after the caller stopped waiting (a late reply never
 * reaches anyone, as with OTP's process aliases). May be used from any thread.
 */
public sealed interface ReplyTo permits CallSlot {

  /**
   * Sends {@code value} (which may be null) to the caller.
   *
   * @return whether the caller received it: false if it was already answered or gave up
   */
  boolean reply(@Nullable Object value);

  /** Whether the caller is still waiting for a reply. */
  boolean isWaiting();
}

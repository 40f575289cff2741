package dev.supervision.core.process;

import org.jspecify.annotations.Nullable;

/**
 * The message a process that {@linkplain ProcessContext#trapExits(boolean) traps exits} receives
 * instead of dying when a linked process exits or an exit signal is sent to it (OTP's {@code
 * {'EXIT', From, Reason}}).
 *
 * @param from the process that exited or sent the signal; {@code null} when the signal came from
 *     outside any process (for example {@link Node#exit(Pid, ExitReason)} called from a plain
 *     thread)
 * @param reason the exit reason carried by the signal
 */
public record Exit(@Nullable Pid from, ExitReason reason) {}

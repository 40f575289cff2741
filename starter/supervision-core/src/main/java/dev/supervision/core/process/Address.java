package dev.supervision.core.process;

import org.jspecify.annotations.Nullable;

/**
 * Something a message can be addressed to: a {@link Pid}, or a name that resolves to one (for
 * example a registry's "via" name).
 *
 * <p>Resolution happens at every use, so a name follows a restarted process to its new pid.
 */
public interface Address {

  /**
   * The live process this address designates now, or {@code null} when none does (OTP's {@code
   * whereis} returning {@code undefined}).
   */
  @Nullable Pid whereis();
}

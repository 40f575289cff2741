package dev.supervision.core.supervisor;

/**
 * A child or supervisor spec is invalid (OTP's {@code supervisor_data} and {@code start_spec}
 * errors). The message names the value and what is allowed.
 */
public final class InvalidSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidSpecException(String message) {
    super(message);
  }
}

package dev.supervision.core.server;

import dev.supervision.core.process.Pid;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A server could not be started: its factory or {@code init} threw, {@code init} did not finish in
 * time, or its name is held by another live process ({@link #alreadyStarted()}).
 */
public final class StartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable Pid alreadyStarted;

  /** A start failure with {@code message} and an optional {@code cause}. */
  public StartException(String message, @Nullable Throwable cause) {
    this(message, cause, null);
  }

  StartException(String message, @Nullable Throwable cause, @Nullable Pid alreadyStarted) {
    super(message, cause);
    this.alreadyStarted = alreadyStarted;
  }

  /**
   * The process holding the name, when the start failed because the name was taken (OTP's {@code
   * {error, {already_started, Pid}}}).
   */
  public Optional<Pid> alreadyStarted() {
    return Optional.ofNullable(alreadyStarted);
  }
}

package dev.supervision.core.server;

import dev.supervision.core.process.Name;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to start a server.
 *
 * @param name where the server registers itself before {@code init}, or {@code null} for none
 * @param label a label for logs, introspection and call metrics; {@code null} uses the server
 *     class's simple name
 * @param initTimeout how long the starter waits for {@code init} to finish (default 5 seconds,
 *     Elixir's {@code :timeout} start option); past it the server is killed and the start fails
 */
public record StartOptions(@Nullable Name name, @Nullable String label, Duration initTimeout) {

  /** The defaults: no name, the class name as label, a 5 second init timeout. */
  public static final StartOptions DEFAULTS = new StartOptions(null, null, Duration.ofSeconds(5));

  /** Validates the options. */
  public StartOptions {
    Objects.requireNonNull(initTimeout, "initTimeout");
    if (initTimeout.isNegative() || initTimeout.isZero()) {
      throw new IllegalArgumentException("initTimeout must be > 0 but was " + initTimeout);
    }
  }

  /** The defaults with {@code name}. */
  public static StartOptions named(Name name) {
    return DEFAULTS.withName(name);
  }

  /** A copy with {@code name}. */
  public StartOptions withName(@Nullable Name name) {
    return new StartOptions(name, label, initTimeout);
  }

  /** A copy with {@code label}. */
  public StartOptions withLabel(@Nullable String label) {
    return new StartOptions(name, label, initTimeout);
  }

  /** A copy with {@code initTimeout}. */
  public StartOptions withInitTimeout(Duration initTimeout) {
    return new StartOptions(name, label, initTimeout);
  }
}

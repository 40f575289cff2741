package dev.supervision.core.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * How a supervisor stops a child.
 *
 * <table>
 *   <caption>Shutdown protocol</caption>
 *   <tr><th>Value</th><th>Protocol</th><th>Exit reason normally seen</th></tr>
 *   <tr><td>{@link BrutalKill}</td><td>kill at once</td><td>killed</td></tr>
 *   <tr><td>{@link Timeout}</td><td>exit signal {@code shutdown}; kill if still alive after
 *   the timeout. A child that traps exits can clean up (its {@code terminate} runs) in that
 *   time.</td><td>shutdown, or killed on timeout</td></tr>
 *   <tr><td>{@link Infinity}</td><td>exit signal {@code shutdown}; wait as long as it takes</td>
 *   <td>shutdown</td></tr>
 * </table>
 *
 * <p>Defaults: 5 seconds for workers, infinity for supervisors (OTP's).
 */
public sealed interface Shutdown {

  /** Kill at once. */
  static Shutdown brutalKill() {
    return BrutalKill.INSTANCE;
  }

  /**
   * Ask to stop, kill after {@code timeout}.
   *
   * @throws InvalidSpecException (an {@link IllegalArgumentException}) if {@code timeout} is
   *     negative
   */
  static Shutdown timeout(Duration timeout) {
    return new Timeout(timeout);
  }

  /** Ask to stop and wait forever. */
  static Shutdown infinity() {
    return Infinity.INSTANCE;
  }

  /** OTP's {@code brutal_kill}. */
  enum BrutalKill implements Shutdown {
    INSTANCE;

    @Override
    public String toString() {
      return "brutal_kill";
    }
  }

  /**
   * A shutdown timeout.
   *
   * @param timeout how long the child may take to stop; zero is allowed
   */
  record Timeout(Duration timeout) implements Shutdown {
    /**
     * Validates the timeout.
     *
     * @throws InvalidSpecException if {@code timeout} is negative
     */
    public Timeout {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new InvalidSpecException("shutdown timeout must be >= 0 but was " + timeout);
      }
    }

    @Override
    public String toString() {
      return timeout.toMillis() + "ms";
    }
  }

  /** OTP's {@code infinity}. */
  enum Infinity implements Shutdown {
    INSTANCE;

    @Override
    public String toString() {
      return "infinity";
    }
  }
}

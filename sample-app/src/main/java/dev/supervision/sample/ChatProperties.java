package dev.supervision.sample;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the sample application ({@code chat.*}).
 *
 * @param rateLimit how fast one user may send messages
 * @param admin credentials of the administrator, who alone may use actuator write operations
 * @param crash the crash endpoints
 * @param restartWait how long a request waits for a room or counter that is being restarted
 * @param writeTimeout how long a room waits for a writer to store a message
 */
@ConfigurationProperties("chat")
public record ChatProperties(
    @DefaultValue RateLimit rateLimit,
    @DefaultValue Admin admin,
    @DefaultValue CrashEndpoints crash,
    @DefaultValue("2s") Duration restartWait,
    @DefaultValue("5s") Duration writeTimeout) {

  /**
   * A token bucket per user (Bucket4j): {@code burst} messages at once, refilled at {@code rate}
   * per {@code period}.
   *
   * @param enabled whether to limit how fast a user sends messages
   * @param rate messages a user may send per period, on average
   * @param period period of the rate
   * @param burst messages a user may send at once after a pause
   */
  public record RateLimit(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("10") int rate,
      @DefaultValue("1s") Duration period,
      @DefaultValue("20") int burst) {

    /** Validates the values. */
    public RateLimit {
      if (rate < 1) {
        throw new IllegalArgumentException("chat.rate-limit.rate must be >= 1 but was " + rate);
      }
      if (burst < 1) {
        throw new IllegalArgumentException("chat.rate-limit.burst must be >= 1 but was " + burst);
      }
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException(
            "chat.rate-limit.period must be a positive duration but was " + period);
      }
    }
  }

  /**
   * The administrator. Without a password, admin operations are unavailable (403): there is no
   * built-in default.
   *
   * @param username administrator's username
   * @param password administrator's password, plain or in Spring Security's {@code {id}hash} form
   *     (e.g. {@code {bcrypt}$2a$10$...})
   */
  public record Admin(@DefaultValue("admin") String username, @Nullable String password) {

    /** Whether a password is configured. */
    public boolean isConfigured() {
      return password != null && !password.isBlank() && !username.isBlank();
    }
  }

  /**
   * The crash endpoints ({@code POST /api/rooms/{room}/crash}, {@code POST
   * /api/counters/{name}/crash}).
   *
   * @param enabled whether they exist; off under the {@code prod} profile, where they answer 404
   */
  public record CrashEndpoints(@DefaultValue("true") boolean enabled) {}
}

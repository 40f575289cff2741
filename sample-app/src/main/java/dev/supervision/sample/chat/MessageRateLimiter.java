package dev.supervision.sample.chat;

import dev.supervision.sample.ApiException;
import dev.supervision.sample.ChatProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Limits how fast each user sends messages, with a Bucket4j token bucket per user (defaults: 10
 * messages per second, bursts of 20; {@code chat.rate-limit.*}). Buckets live in memory, one per
 * user who has sent a message; only registered users reach the limiter. Thread-safe and lock-free.
 */
@Component
final class MessageRateLimiter {
  private final ChatProperties.RateLimit limit;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  MessageRateLimiter(ChatProperties properties) {
    this.limit = properties.rateLimit();
  }

  /**
   * Takes one token from {@code user}'s bucket.
   *
   * @throws ApiException.TooManyRequests with the time until a token is available, if there is none
   */
  void acquire(String user) {
    if (!limit.enabled()) {
      return;
    }
    Bucket bucket = buckets.computeIfAbsent(user, u -> newBucket());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
      throw ApiException.tooManyRequests(
          "user '"
              + user
              + "' sends messages faster than "
              + limit.rate()
              + " per "
              + readable(limit.period())
              + " (bursts of "
              + limit.burst()
              + "); retry in "
              + wait.toMillis()
              + " ms",
          wait);
    }
  }

  /* "1 s", "250 ms": the period as a person writes it, not as ISO 8601 ("PT1S"). */
  private static String readable(Duration period) {
    return period.toMillis() % 1000 == 0 ? period.toSeconds() + " s" : period.toMillis() + " ms";
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(limit.burst())
                .refillGreedy(limit.rate(), limit.period())
                .build())
        .build();
  }
}

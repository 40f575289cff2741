package dev.supervision.sample;

import java.time.Duration;

/**
 * An answer other than success, to be rendered as an RFC 9457 problem with a 4xx or 503 status.
 * Each kind is its own subclass, so that the HTTP layer maps them exhaustively.
 */
public abstract sealed class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ApiException(String detail) {
    super(detail, null, false, false);
  }

  /** A short, human-readable summary of the kind of problem. */
  public abstract String title();

  /** No such user, room or counter (404). */
  public static NotFound notFound(String kind, String name) {
    return new NotFound(kind + " '" + name + "' does not exist");
  }

  /** The name is taken (409). */
  public static Conflict conflict(String kind, String name) {
    return new Conflict(kind + " '" + name + "' already exists");
  }

  /** Invalid input (400). */
  public static BadRequest badRequest(String detail) {
    return new BadRequest(detail);
  }

  /** Too many requests from one user (429). */
  public static TooManyRequests tooManyRequests(String detail, Duration retryAfter) {
    return new TooManyRequests(detail, retryAfter);
  }

  /** A limit on how many of something may exist is reached (429). */
  public static LimitReached limitReached(String detail) {
    return new LimitReached(detail);
  }

  /**
   * A process did not answer in time or could not be reached (503). The client sees {@code detail}
   * up to its first {@code ": "} (the application's summary, such as "room 'lobby' did not
   * answer"); what follows (the runtime's reason, with pids and timeouts) goes only to the log.
   */
  public static Unavailable unavailable(String detail) {
    return new Unavailable(detail);
  }

  /** See {@link #notFound}. */
  public static final class NotFound extends ApiException {
    private static final long serialVersionUID = 1L;

    NotFound(String detail) {
      super(detail);
    }

    @Override
    public String title() {
      return "Not Found";
    }
  }

  /** See {@link #conflict}. */
  public static final class Conflict extends ApiException {
    private static final long serialVersionUID = 1L;

    Conflict(String detail) {
      super(detail);
    }

    @Override
    public String title() {
      return "Conflict";
    }
  }

  /** See {@link #badRequest}. */
  public static final class BadRequest extends ApiException {
    private static final long serialVersionUID = 1L;

    BadRequest(String detail) {
      super(detail);
    }

    @Override
    public String title() {
      return "Bad Request";
    }
  }

  /** See {@link #tooManyRequests}. */
  public static final class TooManyRequests extends ApiException {
    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    TooManyRequests(String detail, Duration retryAfter) {
      super(detail);
      this.retryAfter = retryAfter;
    }

    /** How long to wait before the next attempt can succeed. */
    public Duration retryAfter() {
      return retryAfter;
    }

    @Override
    public String title() {
      return "Too Many Requests";
    }
  }

  /** See {@link #limitReached}. */
  public static final class LimitReached extends ApiException {
    private static final long serialVersionUID = 1L;

    LimitReached(String detail) {
      super(detail);
    }

    @Override
    public String title() {
      return "Limit Reached";
    }
  }

  /** See {@link #unavailable}. */
  public static final class Unavailable extends ApiException {
    private static final long serialVersionUID = 1L;

    Unavailable(String detail) {
      super(detail);
    }

    @Override
    public String title() {
      return "Service Unavailable";
    }
  }
}

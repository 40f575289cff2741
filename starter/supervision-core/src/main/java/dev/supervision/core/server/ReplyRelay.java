package dev.supervision.core.server;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ReplyTo} of a call that came from another node of a cluster: the transport puts it in
 * the message in place of the caller's own, and hands the first reply to its {@link Sink}, which
 * takes it back to the caller. A service provider interface for cluster transports; servers just
 * see a {@code ReplyTo}.
 *
 * <p>Reply at most once: the first {@link #reply} or {@link #claim} wins. {@link #isWaiting()}
 * stays {@code true} until then: whether the remote caller gave up is not known here. Thread-safe.
 *
 * @param <R> the answer's type
 */
public final class ReplyRelay<R extends @Nullable Object> implements ReplyTo<R> {
  private final Sink sink;
  private final AtomicBoolean answered = new AtomicBoolean();

  private ReplyRelay(Sink sink) {
    this.sink = sink;
  }

  /**
   * Takes a reply to the caller's node; must not throw (report a failure to the caller instead).
   */
  @FunctionalInterface
  public interface Sink {

    /** Sends {@code value}, the first reply, to the caller. */
    void deliver(@Nullable Object value);
  }

  /** A reply target whose first reply goes to {@code sink}. */
  public static <R extends @Nullable Object> ReplyRelay<R> to(Sink sink) {
    return new ReplyRelay<>(Objects.requireNonNull(sink, "sink"));
  }

  @Override
  public boolean reply(R value) {
    if (!answered.compareAndSet(false, true)) {
      return false;
    }
    sink.deliver(value);
    return true;
  }

  /**
   * Marks the call answered without a reply, for a transport that tells the caller something else
   * (the server exited, say).
   *
   * @return whether it was still unanswered: only then may the transport send its outcome
   */
  public boolean claim() {
    return answered.compareAndSet(false, true);
  }

  @Override
  public boolean isWaiting() {
    return !answered.get();
  }

  @Override
  public String toString() {
    return "ReplyTo[remote, " + (answered.get() ? "done" : "waiting") + "]";
  }
}

package dev.supervision.core.process;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a process ended, as OTP classifies it.
 *
 * <p>Match it with an exhaustive {@code switch} (no {@code default}), so that code which must treat
 * every reason breaks at compile time if a reason is ever added:
 *
 * {@snippet :
 * String describe(ExitReason reason) {
 *   return switch (reason) {
 *     case ExitReason.Normal n -> "finished";
 *     case ExitReason.Shutdown s -> "asked to stop";
 *     case ExitReason.Killed k -> "killed";
 *     case ExitReason.Crashed c -> "crashed: " + c.error();
 *     case ExitReason.NoProc p -> "was not running";
 *   };
 * }
 * }
 *
 * <table>
 *   <caption>Reasons and their meaning</caption>
 *   <tr><th>Reason</th><th>OTP term</th><th>Clean for a transient child</th><th>Kills a linked,
 *   non-trapping process</th></tr>
 *   <tr><td>{@link Normal}</td><td>{@code normal}</td><td>yes</td><td>no</td></tr>
 *   <tr><td>{@link Shutdown}</td><td>{@code shutdown}, {@code {shutdown, Info}}</td><td>yes</td>
 *   <td>yes</td></tr>
 *   <tr><td>{@link Killed}</td><td>{@code killed}</td><td>no</td><td>yes</td></tr>
 *   <tr><td>{@link Crashed}</td><td>any other term; here, the Throwable that ended it</td>
 *   <td>no</td><td>yes</td></tr>
 *   <tr><td>{@link NoProc}</td><td>{@code noproc}: the process did not exist when it was
 *   monitored or called</td><td>no</td><td>yes</td></tr>
 * </table>
 */
public sealed interface ExitReason {

  /** The process finished its work. */
  static ExitReason normal() {
    return Normal.INSTANCE;
  }

  /** The process was asked to stop, usually by its supervisor. */
  static ExitReason shutdown() {
    return Shutdown.PLAIN;
  }

  /** The process was asked to stop, with extra information ({@code {shutdown, Info}}). */
  static ExitReason shutdown(Object info) {
    return new Shutdown(Objects.requireNonNull(info, "info"));
  }

  /** The process was killed and could not clean up. */
  static ExitReason killed() {
    return Killed.INSTANCE;
  }

  /** The process failed with {@code error}. */
  static ExitReason crashed(Throwable error) {
    return new Crashed(error);
  }

  /** The process did not exist. */
  static ExitReason noProc() {
    return NoProc.INSTANCE;
  }

  /**
   * Whether this reason is clean: {@link Normal} or {@link Shutdown}. A transient child that exits
   * cleanly is not restarted.
   */
  default boolean isClean() {
    return this instanceof Normal || this instanceof Shutdown;
  }

  /** {@code normal}. */
  enum Normal implements ExitReason {
    INSTANCE;

    @Override
    public String toString() {
      return "normal";
    }
  }

  /**
   * {@code shutdown} or {@code {shutdown, info}}.
   *
   * @param info extra information, or {@code null} for a plain {@code shutdown}
   */
  record Shutdown(@Nullable Object info) implements ExitReason {
    static final Shutdown PLAIN = new Shutdown(null);

    @Override
    public String toString() {
      return info == null ? "shutdown" : "{shutdown, " + info + "}";
    }
  }

  /** {@code killed}: stopped without a chance to clean up. */
  enum Killed implements ExitReason {
    INSTANCE;

    @Override
    public String toString() {
      return "killed";
    }
  }

  /**
   * An abnormal exit carrying the failure.
   *
   * @param error what the process threw
   */
  record Crashed(Throwable error) implements ExitReason {
    public Crashed {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String toString() {
      return "crashed: " + error;
    }
  }

  /** {@code noproc}: the process was not alive. */
  enum NoProc implements ExitReason {
    INSTANCE;

    @Override
    public String toString() {
      return "noproc";
    }
  }
}

package dev.supervision.core.task;

import dev.supervision.core.process.ExitReason;
import org.jspecify.annotations.Nullable;

/**
 * How a task ended: with a value, with an exit (it crashed or was killed), or past its timeout.
 *
 * @param <T> the value's type
 */
public sealed interface TaskResult<T> {

  /**
   * The task returned {@code value}.
   *
   * @param value what it returned (may be null)
   */
  record Ok<T>(@Nullable T value) implements TaskResult<T> {}

  /**
   * The task exited without a value.
   *
   * @param reason why; {@link ExitReason.Crashed} carries what it threw
   * @param input in a stream with {@link StreamOptions#zipInputOnExit()}, the input the task was
   *     given (Elixir's {@code {:exit, {input, reason}}}); otherwise null
   */
  record Exited<T>(ExitReason reason, @Nullable Object input) implements TaskResult<T> {

    /** An exit that carries no input. */
    public Exited(ExitReason reason) {
      this(reason, null);
    }
  }

  /**
   * The task ran past its timeout and was killed (Elixir's {@code {:exit, :timeout}}).
   *
   * @param input in a stream with {@link StreamOptions#zipInputOnExit()}, the input the task was
   *     given (Elixir's {@code {:exit, {input, :timeout}}}); otherwise null
   */
  record TimedOut<T>(@Nullable Object input) implements TaskResult<T> {

    /** A timeout that carries no input. */
    public TimedOut() {
      this(null);
    }
  }
}

package dev.supervision.core.task;

import dev.supervision.core.process.ExitReason;

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
  record Ok<T>(@org.jspecify.annotations.Nullable T value) implements TaskResult<T> {}

  /**
   * The task exited without a value.
   *
   * @param reason why; {@link ExitReason.Crashed} carries what it threw
   */
  record Exited<T>(ExitReason reason) implements TaskResult<T> {}

  /** The task ran past its timeout and was killed (Elixir's {@code {:exit, :timeout}}). */
  record TimedOut<T>() implements TaskResult<T> {}
}

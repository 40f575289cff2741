package dev.supervision.core.task;

/**
 * The work {@link TaskSupervisor#asyncStream} applies to each input; it may throw, which makes that
 * element a {@link TaskResult.Exited}.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface TaskFunction<T, R> {

  /** Computes the result for {@code input}. */
  R apply(T input) throws Exception;
}

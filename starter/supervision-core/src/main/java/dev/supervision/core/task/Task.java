package dev.supervision.core.task;

import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A running piece of work started by {@link TaskSupervisor#async} or {@link
 * TaskSupervisor#asyncNolink}. Its result can be awaited from any thread, once or many times.
 *
 * {@snippet :
 * Task<Integer> task = TaskSupervisor.asyncNolink(tasks, () -> expensive());
 * int value = task.await(Duration.ofSeconds(2));
 * }
 *
 * @param <T> the result type
 */
public final class Task<T> {

  /** Elixir's default {@code Task.await} timeout: 5 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /*
   * The caller chain of the task running on this thread. A task is a process, and a process has
   * its own thread for its whole life, so the value set when the task's body begins is the task's
   * and goes with the thread; other threads see the empty list.
   */
  private static final ThreadLocal<List<Pid>> CALLERS = ThreadLocal.withInitial(List::of);

  private final Pid pid;
  private final boolean linked;
  private final CompletableFuture<TaskResult<T>> result;

  Task(Pid pid, boolean linked, CompletableFuture<TaskResult<T>> result) {
    this.pid = pid;
    this.linked = linked;
    this.result = result;
  }

  /**
   * The processes that started the task running on the current thread, nearest first (Elixir's
   * {@code $callers}): the process that called {@code async}, {@code asyncNolink}, {@code
   * asyncStream} or {@code startChild}, then, if that was itself a task, its callers, and so on.
   * For logging and tracing: a task can tell whose work it does. Empty outside a task; a caller
   * that is not a process (a plain thread) adds no pid. A task run again after a restart keeps the
   * chain it was first started with.
   */
  public static List<Pid> callers() {
    // only processes look: a plain thread's map is left alone
    return ProcessContext.current().isPresent() ? CALLERS.get() : List.of();
  }

  /* The chain a task started from the current thread gets: this process, then its callers. */
  static List<Pid> callersOfNewTask() {
    Pid self = ProcessContext.current().map(ProcessContext::self).orElse(null);
    if (self == null) {
      return List.of();
    }
    List<Pid> mine = CALLERS.get();
    List<Pid> chain = new ArrayList<>(mine.size() + 1);
    chain.add(self);
    chain.addAll(mine);
    return List.copyOf(chain);
  }

  /* Called first thing on a new task's thread. */
  static void enter(List<Pid> callers) {
    CALLERS.set(callers);
  }

  /** The task's process. */
  public Pid pid() {
    return pid;
  }

  /** Whether the task is linked to the process that started it. */
  public boolean isLinked() {
    return linked;
  }

  /** {@link #await(Duration)} with the default 5 seconds. */
  public @Nullable T await() {
    return await(DEFAULT_TIMEOUT);
  }

  /**
   * Waits for the task's value. On timeout a linked task is killed (its caller gives up on it, as
   * an OTP caller that exits takes its linked task along); an unlinked task keeps running.
   *
   * @throws TaskException.Exited if the task crashed or was killed
   * @throws TaskException.Timeout if it did not finish in time
   * @throws TaskException.Interrupted if the waiting thread was interrupted
   */
  public @Nullable T await(Duration timeout) {
    Optional<TaskResult<T>> outcome = poll(timeout);
    if (outcome.isEmpty()) {
      if (linked) {
        shutdown();
      }
      throw new TaskException.Timeout(timeout);
    }
    return switch (outcome.get()) {
      case TaskResult.Ok<T> ok -> ok.value();
      case TaskResult.Exited<T> exited -> throw new TaskException.Exited(exited.reason());
      case TaskResult.TimedOut<T> t -> throw new TaskException.Timeout(timeout);
    };
  }

  /**
   * The result if the task ends within {@code timeout}, else empty; the task keeps running
   * (Elixir's {@code Task.yield}). A crash comes back as {@link TaskResult.Exited}, never as an
   * exception.
   *
   * @throws TaskException.Interrupted if the waiting thread was interrupted
   */
  public Optional<TaskResult<T>> poll(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0 but was " + timeout);
    }
    try {
      return Optional.of(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskException.Interrupted();
    } catch (ExecutionException e) {
      throw new IllegalStateException("task result failed", e);
    }
  }

  /** Whether the task has ended. */
  public boolean isDone() {
    return result.isDone();
  }

  /** Kills the task if it still runs (Elixir's {@code Task.shutdown(task, :brutal_kill)}). */
  public void shutdown() {
    if (pid.isAlive()) {
      pid.node().kill(pid);
    }
  }

  CompletableFuture<TaskResult<T>> future() {
    return result;
  }

  @Override
  public String toString() {
    return "Task[" + pid + (result.isDone() ? ", done" : "") + "]";
  }
}

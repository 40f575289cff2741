package dev.supervision.core.task;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessBody;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Shutdown;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Runs one-off work in supervised processes (Elixir's {@code Task.Supervisor}). A task supervisor
 * is a {@link DynamicSupervisor} whose children are task processes: temporary with a 5 second
 * shutdown unless {@link TaskOptions} (for {@code startChild}) or a {@code Shutdown} (for {@code
 * async}) say otherwise. A task knows who started it: {@link Task#callers()}.
 *
 * {@snippet :
 * DynamicSupervisorRef tasks = TaskSupervisor.start(node, "tasks");
 * Task<String> page = TaskSupervisor.asyncNolink(tasks, () -> fetch(url));
 * switch (page.poll(Duration.ofSeconds(1)).orElse(new TaskResult.TimedOut<>())) {
 *   case TaskResult.Ok<String> ok -> render(ok.value());
 *   case TaskResult.Exited<String> failed -> log.warn("fetch failed: {}", failed.reason());
 *   case TaskResult.TimedOut<String> t -> log.warn("too slow");
 * }
 * try (Stream<TaskResult<Integer>> sizes =
 *     TaskSupervisor.asyncStream(tasks, urls, url -> fetch(url).length(), StreamOptions.defaults())) {
 *   sizes.forEach(System.out::println);
 * }
 * }
 *
 * <table>
 *   <caption>Ways to run a task</caption>
 *   <tr><th>Method</th><th>Linked to the caller</th><th>A crash</th></tr>
 *   <tr><td>{@link #async}</td><td>yes, when the caller is a process</td><td>takes a
 *   non-trapping calling process down with the same reason; {@code await} throws {@link
 *   TaskException.Exited}</td></tr>
 *   <tr><td>{@link #asyncNolink}</td><td>no</td><td>comes back as {@link TaskResult.Exited}
 *   from {@link Task#poll} or as {@link TaskException.Exited} from {@link Task#await}; never
 *   affects the caller</td></tr>
 *   <tr><td>{@link #startChild}</td><td>no</td><td>only logged; nobody waits</td></tr>
 *   <tr><td>{@link #asyncStream}</td><td>no</td><td>an {@link TaskResult.Exited} element</td></tr>
 * </table>
 *
 * <p>Callers need not be processes. A full task supervisor ({@code maxChildren}) makes these
 * methods throw {@link dev.supervision.core.supervisor.ChildException.MaxChildren}.
 */
public final class TaskSupervisor {
  private TaskSupervisor() {}

  /** Starts a task supervisor named {@code name}, not linked to the caller. */
  public static DynamicSupervisorRef start(Node node, String name) {
    return DynamicSupervisor.start(node, DynamicSupervisorSpec.of(name));
  }

  /** Starts a task supervisor with a full spec (intensity, maximum tasks). */
  public static DynamicSupervisorRef start(Node node, DynamicSupervisorSpec spec) {
    return DynamicSupervisor.start(node, spec);
  }

  /** A child spec to put a task supervisor in a supervision tree. */
  public static ChildSpec childSpec(String id, DynamicSupervisorSpec spec) {
    return ChildSpec.supervisor(id, spec);
  }

  /**
   * Runs {@code work} in a new task process linked to the calling process (if the caller is a
   * process) and supervised by {@code supervisor}.
   */
  public static <T> Task<T> async(Address supervisor, Callable<? extends T> work) {
    return async(supervisor, work, ChildSpec.DEFAULT_WORKER_SHUTDOWN);
  }

  /**
   * {@link #async(Address, Callable)}, the task stopped by {@code shutdown} when its supervisor
   * stops (Elixir's {@code async/3} option {@code :shutdown}; an awaited task is never restarted).
   */
  public static <T> Task<T> async(
      Address supervisor, Callable<? extends T> work, Shutdown shutdown) {
    Pid caller = ProcessContext.current().map(ProcessContext::self).orElse(null);
    return run(supervisor, work, caller, new CompletableFuture<>(), shutdown);
  }

  /** Runs {@code work} in a new task process that is not linked to the caller. */
  public static <T> Task<T> asyncNolink(Address supervisor, Callable<? extends T> work) {
    return asyncNolink(supervisor, work, ChildSpec.DEFAULT_WORKER_SHUTDOWN);
  }

  /** {@link #asyncNolink(Address, Callable)}, the task stopped by {@code shutdown}. */
  public static <T> Task<T> asyncNolink(
      Address supervisor, Callable<? extends T> work, Shutdown shutdown) {
    return run(supervisor, work, null, new CompletableFuture<>(), shutdown);
  }

  /** Starts {@code work} as a temporary fire-and-forget task; returns its pid. */
  public static Pid startChild(Address supervisor, Runnable work) {
    return startChild(supervisor, work, TaskOptions.defaults());
  }

  /**
   * Starts {@code work} as a fire-and-forget task supervised as {@code options} say (Elixir's
   * {@code Task.Supervisor.start_child/3} with {@code restart} and {@code shutdown}); returns its
   * pid. A task run again (transient after a crash, permanent after any end) runs {@code work} from
   * the start, in a new process.
   */
  public static Pid startChild(Address supervisor, Runnable work, TaskOptions options) {
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(options, "options");
    return startTask(supervisor, self -> work.run(), options.restart(), options.shutdown());
  }

  /*
   * Starts `body` as a task process under `supervisor`, linked to it. The task gets the caller
   * chain of the thread that starts it, on every run.
   */
  private static Pid startTask(
      Address supervisor, ProcessBody body, Restart restart, Shutdown shutdown) {
    Objects.requireNonNull(supervisor, "supervisor");
    List<Pid> callers = Task.callersOfNewTask();
    ProcessBody task =
        self -> {
          Task.enter(callers);
          body.run(self);
        };
    return DynamicSupervisorRef.of(supervisor)
        .startChild(
            ChildSpec.worker("task", () -> current().spawnLink("task", task))
                .withRestart(restart)
                .withShutdown(Objects.requireNonNull(shutdown, "shutdown")));
  }

  /* Runs `work` in a task whose outcome completes `result`, a future made (and hooked) before. */
  private static <T> Task<T> run(
      Address supervisor,
      Callable<? extends T> work,
      @Nullable Pid caller,
      CompletableFuture<TaskResult<T>> result,
      Shutdown shutdown) {
    Objects.requireNonNull(supervisor, "supervisor");
    Objects.requireNonNull(work, "work");
    Pid pid =
        startTask(
            supervisor,
            self -> {
              if (caller != null) {
                self.link(caller);
              }
              T value = work.call();
              result.complete(new TaskResult.Ok<>(value));
            },
            Restart.TEMPORARY,
            shutdown);
    pid.node().monitor(pid, (p, reason) -> result.complete(new TaskResult.Exited<>(reason)));
    return new Task<>(pid, caller != null, result);
  }

  private static ProcessContext current() {
    return ProcessContext.current()
        .orElseThrow(() -> new IllegalStateException("must run in the supervisor's process"));
  }

  /** The live task processes, in start order. */
  public static List<Pid> children(Address supervisor) {
    List<Pid> pids = new ArrayList<>();
    for (ChildInfo child : DynamicSupervisorRef.of(supervisor).whichChildren()) {
      Pid pid = child.pid();
      if (pid != null) {
        pids.add(pid);
      }
    }
    return pids;
  }

  /** Stops one task process. */
  public static void terminateChild(Address supervisor, Pid task) {
    DynamicSupervisorRef.of(supervisor).terminateChild(task);
  }

  /**
   * Runs {@code function} over {@code inputs} in unlinked tasks, at most {@code
   * options.maxConcurrency()} at a time, and streams their results lazily: in input order, or in
   * completion order when not {@code ordered}. A task that runs longer than {@code
   * options.timeout()} is killed and yields {@link TaskResult.TimedOut} ({@link
   * StreamOptions.OnTimeout#KILL_TASK}, the default), or makes the stream fail with {@link
   * TaskException.Timeout} once it is reached, killing the tasks still running ({@link
   * StreamOptions.OnTimeout#EXIT}); a crash yields {@link TaskResult.Exited}. With {@link
   * StreamOptions#zipInputOnExit()} both carry the task's input. Close the stream
   * (try-with-resources) to kill the tasks still running when it is not consumed to the end.
   */
  public static <T, R> Stream<TaskResult<R>> asyncStream(
      Address supervisor,
      Iterable<? extends T> inputs,
      TaskFunction<? super T, ? extends R> function,
      StreamOptions options) {
    Objects.requireNonNull(supervisor, "supervisor");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(options, "options");
    TaskStream<T, R> iterator = new TaskStream<>(supervisor, inputs.iterator(), function, options);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                iterator, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(iterator::close);
  }

  /* Keeps up to maxConcurrency tasks in flight; see asyncStream. Used from one thread. */
  static final class TaskStream<T, R> implements Iterator<TaskResult<R>> {
    private final Address supervisor;
    private final Iterator<? extends T> inputs;
    private final TaskFunction<? super T, ? extends R> function;
    private final StreamOptions options;
    private final long timeoutNanos;
    private final List<InFlight<R>> inFlight = new ArrayList<>();
    /* The result futures of the tasks started, in the order they completed. */
    private final java.util.concurrent.LinkedBlockingQueue<CompletableFuture<?>> completed =
        new java.util.concurrent.LinkedBlockingQueue<>();

    /* Set once the stream failed (OnTimeout.EXIT): it yields nothing more. */
    private boolean failed;

    record InFlight<R>(Task<R> task, long deadline, @Nullable Object input) {}

    TaskStream(
        Address supervisor,
        Iterator<? extends T> inputs,
        TaskFunction<? super T, ? extends R> function,
        StreamOptions options) {
      this.supervisor = supervisor;
      this.inputs = inputs;
      this.function = function;
      this.options = options;
      this.timeoutNanos = options.timeout().toNanos();
    }

    private void fill() {
      while (inFlight.size() < options.maxConcurrency() && inputs.hasNext()) {
        T input = inputs.next();
        /*
         * Hooked before the task starts, so that `completed` takes every task at the moment it
         * completes: a task that completes before its start returns here is no exception.
         */
        CompletableFuture<TaskResult<R>> result = new CompletableFuture<>();
        var unused = result.whenComplete((r, e) -> completed.add(result));
        Task<R> task =
            run(
                supervisor,
                () -> function.apply(input),
                null,
                result,
                ChildSpec.DEFAULT_WORKER_SHUTDOWN);
        inFlight.add(new InFlight<>(task, System.nanoTime() + timeoutNanos, input));
      }
    }

    @Override
    public boolean hasNext() {
      if (failed) {
        return false;
      }
      fill();
      return !inFlight.isEmpty();
    }

    @Override
    public TaskResult<R> next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      return options.ordered() ? nextInOrder() : nextCompleted();
    }

    private TaskResult<R> nextInOrder() {
      InFlight<R> head = inFlight.remove(0);
      return resultOf(head, head.deadline() - System.nanoTime());
    }

    private TaskResult<R> nextCompleted() {
      while (true) {
        long earliest = Long.MAX_VALUE;
        InFlight<R> oldest = inFlight.get(0);
        for (InFlight<R> entry : inFlight) {
          if (entry.deadline() < earliest) {
            earliest = entry.deadline();
            oldest = entry;
          }
        }
        CompletableFuture<?> done;
        try {
          done =
              completed.poll(
                  Math.max(0, earliest - System.nanoTime()),
                  java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TaskException.Interrupted();
        }
        if (done == null) {
          inFlight.remove(oldest);
          return timedOut(oldest);
        }
        InFlight<R> entry = take(done);
        if (entry != null) {
          return resultOf(entry, 0);
        }
        // A task already reported as timed out, completing (killed) since: skipped.
      }
    }

    /* Removes and returns the task in flight whose result is `future`, if still in flight. */
    private @Nullable InFlight<R> take(CompletableFuture<?> future) {
      for (Iterator<InFlight<R>> it = inFlight.iterator(); it.hasNext(); ) {
        InFlight<R> entry = it.next();
        if (entry.task().future() == future) {
          it.remove();
          return entry;
        }
      }
      return null;
    }

    private TaskResult<R> resultOf(InFlight<R> entry, long remainingNanos) {
      var outcome = entry.task().poll(java.time.Duration.ofNanos(Math.max(0, remainingNanos)));
      if (outcome.isEmpty()) {
        return timedOut(entry);
      }
      TaskResult<R> result = outcome.get();
      if (options.zipInputOnExit() && result instanceof TaskResult.Exited<R> exited) {
        return new TaskResult.Exited<>(exited.reason(), entry.input());
      }
      return result;
    }

    /*
     * `entry`, no longer in flight, ran past its timeout: it is killed, and either reported
     * (KILL_TASK) or the stream fails, killing the others (EXIT).
     */
    private TaskResult<R> timedOut(InFlight<R> entry) {
      entry.task().shutdown();
      return switch (options.onTimeout()) {
        case KILL_TASK ->
            new TaskResult.TimedOut<>(options.zipInputOnExit() ? entry.input() : null);
        case EXIT -> {
          failed = true;
          close();
          throw new TaskException.Timeout(options.timeout());
        }
      };
    }

    void close() {
      for (InFlight<R> entry : inFlight) {
        entry.task().shutdown();
      }
      inFlight.clear();
    }
  }
}

package dev.supervision.core.task;

import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Shutdown;
import java.util.Objects;

/**
 * How {@link TaskSupervisor#startChild(dev.supervision.core.process.Address, Runnable,
 * TaskOptions)} supervises a fire-and-forget task (the options of Elixir's {@code
 * Task.Supervisor.start_child/3}).
 *
 * {@snippet :
 * TaskSupervisor.startChild(tasks, () -> sendMail(order),
 *     TaskOptions.defaults().withRestart(Restart.TRANSIENT).withShutdown(Shutdown.brutalKill()));
 * }
 *
 * <table>
 *   <caption>A task's restart type</caption>
 *   <tr><th></th><th>returns</th><th>throws or is killed</th></tr>
 *   <tr><td>{@link Restart#TEMPORARY} (default)</td><td>gone</td><td>gone</td></tr>
 *   <tr><td>{@link Restart#TRANSIENT}</td><td>gone</td><td>run again, from the start</td></tr>
 *   <tr><td>{@link Restart#PERMANENT}</td><td>run again</td><td>run again</td></tr>
 * </table>
 *
 * <p>A task run again counts against its supervisor's restart intensity, like any restart.
 *
 * @param restart when the task is run again; default {@link Restart#TEMPORARY}
 * @param shutdown how it is stopped when its supervisor stops or terminates it; default 5 seconds
 */
public record TaskOptions(Restart restart, Shutdown shutdown) {

  /** Validates the options. */
  public TaskOptions {
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(shutdown, "shutdown");
  }

  /** Temporary, 5 seconds to stop (Elixir's defaults). */
  public static TaskOptions defaults() {
    return new TaskOptions(Restart.TEMPORARY, ChildSpec.DEFAULT_WORKER_SHUTDOWN);
  }

  /** A copy with {@code restart}. */
  public TaskOptions withRestart(Restart restart) {
    return new TaskOptions(restart, shutdown);
  }

  /** A copy with {@code shutdown}. */
  public TaskOptions withShutdown(Shutdown shutdown) {
    return new TaskOptions(restart, shutdown);
  }
}

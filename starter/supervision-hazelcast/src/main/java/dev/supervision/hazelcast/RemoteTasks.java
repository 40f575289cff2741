package dev.supervision.hazelcast;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.RemoteAddress;
import dev.supervision.core.server.RemoteCall;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.task.Task;
import dev.supervision.core.task.TaskSupervisor;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Supervised tasks run on a chosen member, their outcome sent back to the caller (Elixir's {@code
 * Task.Supervisor.async({Sup, node}, fun) |> Task.await()}).
 *
 * {@snippet :
 * RemoteTasks tasks = RemoteTasks.start(cluster, "tasks"); // the same call on every member
 * int answer = tasks.run(otherMember, () -> 6 * 7, Duration.ofSeconds(5));
 * }
 *
 * <p>Start it on every member, with the same name: each runs a local task supervisor ({@link
 * TaskSupervisor}), under which the tasks sent to that member run as temporary children. The work
 * is a {@link SerializableCallable}: a lambda passed where one is expected is serializable, and is
 * sent with what it captures, which the allow-list must admit ({@link ClusterOptions}).
 *
 * <table>
 *   <caption>Outcomes of {@link #run(UUID, SerializableCallable, Duration)}</caption>
 *   <tr><th>what happens</th><th>the caller gets</th></tr>
 *   <tr><td>the task returns</td><td>its value ({@code null} too); it must be serializable, else
 *   {@link UnserializableMessageException}</td></tr>
 *   <tr><td>the task throws</td><td>{@link RemoteTaskException.Exited} with the {@code Crashed}
 *   reason: the exception itself as the cause if it could be sent back, else a {@link
 *   RemoteFailure} (class name and message)</td></tr>
 *   <tr><td>the task is killed or shut down on its member</td><td>{@link
 *   RemoteTaskException.Exited} with that reason</td></tr>
 *   <tr><td>the member is not in the cluster, or leaves before the task answers</td><td>{@link
 *   RemoteTaskException.NodeDown}</td></tr>
 *   <tr><td>no answer within the timeout</td><td>{@link RemoteTaskException.Timeout}; the task is
 *   killed on its member (as Elixir's {@code Task.await} timeout takes the linked task
 *   down)</td></tr>
 *   <tr><td>no remote tasks of this name run on the member</td><td>{@link
 *   RemoteTaskException.NotStarted}</td></tr>
 *   <tr><td>the work (or what it captures) cannot be serialized or is outside the allow-list
 *   </td><td>{@link UnserializableMessageException} at the caller; nothing is sent</td></tr>
 * </table>
 *
 * <p>The caller waits (it need not be a process); the task is not linked to it. Thread-safe.
 */
public final class RemoteTasks implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RemoteTasks.class.getName());

  private final ClusterNode cluster;
  private final Transport transport;
  private final String name;
  private final DynamicSupervisorRef supervisor;
  /* Starts of tasks, which call the supervisor: off the inbox's thread. */
  private final ExecutorService starts;
  /* The tasks running here for callers, by the caller's task id (for a cancel at its timeout). */
  private final ConcurrentHashMap<UUID, Pid> running = new ConcurrentHashMap<>();
  private final Transport.Region region = new Inbound();

  /* What crosses members: a task to run, answered through replyTo, or a caller giving up. */
  sealed interface Message extends Serializable {}

  record Run<T>(UUID id, SerializableCallable<T> work, ReplyTo<T> replyTo) implements Message {}

  record Cancel(UUID id) implements Message {}

  private RemoteTasks(ClusterNode cluster, String name) {
    this.cluster = cluster;
    this.transport = cluster.transport();
    this.name = name;
    this.starts =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("supervision-remote-tasks-" + name + "-", 0).factory());
    this.supervisor = TaskSupervisor.start(cluster.node(), "remote-tasks-" + name);
    if (!transport.addRegion(region)) {
      starts.shutdown();
      supervisor.stop();
      throw new IllegalStateException(
          "remote tasks '" + name + "' already run on this cluster node");
    }
  }

  /**
   * Starts the remote tasks {@code name} on this member: a local task supervisor that runs the
   * tasks other members (and this one) send here. Start it on every member.
   *
   * @throws IllegalStateException if remote tasks of that name already run on this cluster node
   */
  public static RemoteTasks start(ClusterNode cluster, String name) {
    Objects.requireNonNull(cluster, "cluster");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must be non-blank but was '" + name + "'");
    }
    return new RemoteTasks(cluster, name);
  }

  /** The name, the same on every member. */
  public String name() {
    return name;
  }

  /** The local task supervisor that runs the tasks sent to this member. */
  public DynamicSupervisorRef supervisor() {
    return supervisor;
  }

  /** {@link #run(UUID, SerializableCallable, Duration)} with Elixir's 5 second default timeout. */
  public <T extends @Nullable Object> T run(UUID member, SerializableCallable<T> work) {
    return run(member, work, Task.DEFAULT_TIMEOUT);
  }

  /**
   * Runs {@code work} in a supervised task on {@code member} (this member's own uuid runs it here,
   * through the same path) and returns its value.
   *
   * @throws RemoteTaskException.Exited if the task threw, or was killed or shut down
   * @throws RemoteTaskException.NodeDown if the member is not in the cluster or left meanwhile
   * @throws RemoteTaskException.Timeout if no answer came within {@code timeout}
   * @throws RemoteTaskException.NotStarted if no remote tasks of this name run on the member
   * @throws RemoteTaskException.Interrupted if the waiting thread was interrupted
   * @throws UnserializableMessageException if the work, or its value, cannot be serialized
   */
  public <T extends @Nullable Object> T run(
      UUID member, SerializableCallable<T> work, Duration timeout) {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0 but was " + timeout);
    }
    UUID id = UUID.randomUUID();
    ServerRef<Message> ref = ServerRef.of(new TasksOn(member));
    try {
      return ref.<T>call(replyTo -> new Run<>(id, work, replyTo), timeout);
    } catch (CallException.ServerExited e) {
      throw new RemoteTaskException.Exited(transport.name(member), e.reason());
    } catch (CallException.NodeDown e) {
      throw new RemoteTaskException.NodeDown(e.node());
    } catch (CallException.NoProc e) {
      throw new RemoteTaskException.NotStarted(name, transport.name(member));
    } catch (CallException.Timeout e) {
      transport.castKeyed(member, new Transport.Keyed(regionName(name), name, new Cancel(id), 0));
      throw new RemoteTaskException.Timeout(transport.name(member), timeout);
    } catch (CallException.Interrupted e) {
      Thread.currentThread().interrupt();
      throw new RemoteTaskException.Interrupted();
    }
  }

  /* Its keyed messages' region; '/' keeps it apart from sharded children, which may not use it. */
  private static String regionName(String name) {
    return "tasks/" + name;
  }

  /* On the target member, off the inbox's thread: starts the task, answered by its value or exit. */
  private <T extends @Nullable Object> void start(Run<T> run, Transport.Answer answer) {
    CompletableFuture<@Nullable Void> watched = new CompletableFuture<>();
    Task<T> task;
    try {
      task =
          TaskSupervisor.asyncNolink(
              supervisor,
              () -> {
                watched.join(); // its exit must be seen by the answer's monitor
                T value = run.work().call();
                run.replyTo().reply(value);
                return value;
              });
    } catch (RuntimeException e) {
      answer.thrown(e);
      return;
    }
    Pid pid = task.pid();
    try {
      running.put(run.id(), pid);
      cluster.node().monitor(pid, (p, reason) -> running.remove(run.id(), p));
      answer.watch(pid);
    } finally {
      watched.complete(null);
    }
  }

  private void cancel(Cancel cancel) {
    Pid pid = running.remove(cancel.id());
    if (pid != null && pid.isAlive()) {
      LOG.log(
          System.Logger.Level.DEBUG, () -> "remote task " + pid + " killed: its caller timed out");
      cluster.node().kill(pid);
    }
  }

  /** Stops taking tasks here and stops the local task supervisor, with the tasks running here. */
  @Override
  public void close() {
    transport.removeRegion(region);
    Shutdowns.shutdown(starts, Duration.ofSeconds(10));
    Shutdowns.stop(supervisor);
  }

  @Override
  public String toString() {
    return "RemoteTasks[" + name + " on " + cluster + "]";
  }

  /* What the transport hands this member's tasks messages to (on the inbox's thread). */
  private final class Inbound implements Transport.Region {
    @Override
    public String name() {
      return regionName(name);
    }

    @Override
    public void receiveCast(Transport.Keyed keyed) {
      if (keyed.message() instanceof Message message) {
        switch (message) {
          case Run<?> run -> LOG.log(System.Logger.Level.WARNING, "dropped a task sent as a cast");
          case Cancel cancel -> cancel(cancel);
        }
      }
    }

    @Override
    public void receiveCall(Transport.Keyed keyed, Transport.Answer answer) {
      if (!(keyed.message() instanceof Message message)) {
        answer.failed("remote tasks '" + name + "' got a call that is not a task");
        return;
      }
      switch (message) {
        case Run<?> run -> {
          try {
            starts.execute(() -> start(run, answer));
          } catch (RejectedExecutionException e) {
            answer.moved(); // closing: as if not started here
          }
        }
        case Cancel cancel -> cancel(cancel);
      }
    }
  }

  /* The remote tasks of a member as an address: a call through it goes to that member. */
  private final class TasksOn implements RemoteAddress {
    private final UUID member;

    TasksOn(UUID member) {
      this.member = member;
    }

    @Override
    public @Nullable Pid whereis() {
      return null; // always through the transport, which loops back for this member
    }

    @Override
    public void cast(Object message) {
      transport.castKeyed(member, new Transport.Keyed(regionName(name), name, message, 0));
    }

    @Override
    public void call(Object message, RemoteCall call, Duration timeout) {
      transport.callKeyed(
          member,
          new Transport.Keyed(regionName(name), name, message, 0),
          call,
          () -> {
            var unused = call.noProc(); // not started there
          });
    }

    @Override
    public String toString() {
      return "{tasks, " + name + ", " + transport.name(member) + "}";
    }
  }
}

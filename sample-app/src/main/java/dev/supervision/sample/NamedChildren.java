package dev.supervision.sample;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartException;
import dev.supervision.core.supervisor.ChildException;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Servers started on demand under a dynamic supervisor, one per name, each registered under its
 * name in a unique registry (a "via" name), as Elixir applications do with a {@code
 * DynamicSupervisor} and a {@code Registry}.
 *
 * <p>The child's id is its name, so the supervision tree shows which room or counter restarted.
 * Finding a server:
 *
 * <table>
 *   <caption>{@link #find} and {@link #findOrStart}</caption>
 *   <tr><th>State</th><th>{@code find}</th><th>{@code findOrStart}</th></tr>
 *   <tr><td>registered</td><td>a handle on its pid, lock-free</td><td>a handle on its pid,
 *   lock-free</td></tr>
 *   <tr><td>a child of the supervisor, not registered (just crashed and being restarted)</td>
 *   <td>waits for the restarted instance to register, up to the restart wait</td><td>the
 *   same</td></tr>
 *   <tr><td>not a child</td><td>{@code null}</td><td>starts it</td></tr>
 * </table>
 *
 * <p>The slow path is serialised per name (striped locks), so two requests never start the same
 * name twice, and never start one while the supervisor restarts it (which would make the restart
 * fail on the taken name).
 *
 * @param <M> the servers' protocol
 */
public final class NamedChildren<M> {
  private static final int STRIPES = 64;

  private final DynamicSupervisorRef supervisor;
  private final Registry<String, @Nullable Object> registry;
  private final BiFunction<String, Name, ChildSpec> specs;
  private final Duration restartWait;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  /**
   * Servers under {@code supervisor}, registered in {@code registry}.
   *
   * @param specs the child spec for a name, given the via name the server must start with
   * @param restartWait how long {@link #find} waits for a crashed server's restart
   */
  public NamedChildren(
      DynamicSupervisorRef supervisor,
      Registry<String, @Nullable Object> registry,
      BiFunction<String, Name, ChildSpec> specs,
      Duration restartWait) {
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.specs = Objects.requireNonNull(specs, "specs");
    this.restartWait = Objects.requireNonNull(restartWait, "restartWait");
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** The supervisor of the servers. */
  public DynamicSupervisorRef supervisor() {
    return supervisor;
  }

  /** The registry the servers register in. */
  public Registry<String, @Nullable Object> registry() {
    return registry;
  }

  /** The number of registered servers. */
  public int count() {
    return registry.count();
  }

  /** The registered server named {@code name}, without waiting; {@code null} if none. */
  public @Nullable Pid whereis(String name) {
    return registry.whereis(name).orElse(null);
  }

  /**
   * The server named {@code name}, waiting for it if it is being restarted; {@code null} if the
   * supervisor has no such child.
   */
  public @Nullable ServerRef<M> find(String name) {
    Pid pid = lookup(name, false);
    return pid == null ? null : ServerRef.of(pid);
  }

  /**
   * The server named {@code name}, started under the supervisor if it has no such child.
   *
   * @throws ChildException if the supervisor refuses the child (full, or its start failed)
   * @throws ApiException.Unavailable if a restarting server did not come back in time
   */
  public ServerRef<M> findOrStart(String name) {
    Pid pid = lookup(name, true);
    if (pid == null) {
      throw ApiException.unavailable(
          "'"
              + name
              + "' is restarting and did not come back within "
              + restartWait.toMillis()
              + " ms");
    }
    return ServerRef.of(pid);
  }

  /**
   * Stops the server named {@code name} and removes it from the supervisor.
   *
   * @return whether there was such a server
   */
  public boolean terminate(String name) {
    ReentrantLock lock = lockFor(name);
    lock.lock();
    try {
      for (ChildInfo child : supervisor.whichChildren()) {
        Pid pid = child.pid();
        if (child.id().equals(name) && pid != null) {
          try {
            supervisor.terminateChild(pid);
            return true;
          } catch (ChildException.NotFound e) {
            return false;
          }
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  private @Nullable Pid lookup(String name, boolean start) {
    Pid pid = whereis(name);
    if (pid != null) {
      return pid;
    }
    ReentrantLock lock = lockFor(name);
    lock.lock();
    try {
      pid = whereis(name);
      if (pid != null) {
        return pid;
      }
      if (isChild(name)) {
        return awaitRegistration(name);
      }
      if (!start) {
        return null;
      }
      try {
        return supervisor.startChild(specs.apply(name, registry.via(name)));
      } catch (ChildException.StartFailed e) {
        if (e.getCause() instanceof StartException s && s.alreadyStarted().isPresent()) {
          return s.alreadyStarted().get();
        }
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean isChild(String name) {
    for (ChildInfo child : supervisor.whichChildren()) {
      if (child.id().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private @Nullable Pid awaitRegistration(String name) {
    return registry.awaitWhereis(name, restartWait).orElse(null);
  }

  private ReentrantLock lockFor(String name) {
    return locks[(name.hashCode() & Integer.MAX_VALUE) % STRIPES];
  }
}

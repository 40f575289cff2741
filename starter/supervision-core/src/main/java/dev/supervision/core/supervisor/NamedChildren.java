package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.registry.Keys;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartException;
import dev.supervision.core.server.StartOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Servers started on demand under a dynamic supervisor, one per key, each registered under its key
 * in a unique registry: what Elixir applications write as {@code DynamicSupervisor.start_child}
 * with a {@code {:via, Registry, {registry, key}}} name and an {@code {:error, {:already_started,
 * pid}}} clause, in one call, safe under concurrent first use and across restarts.
 *
 * {@snippet :
 * NamedChildren<String, Room.Message> rooms =
 *     NamedChildren.of(roomSupervisor, roomNames, "room", Room::new).withRestart(Restart.TRANSIENT);
 * rooms.findOrStart("lobby").cast(new Room.Post("ada", "hello")); // started on first use
 * Optional<ServerRef<Room.Message>> kitchen = rooms.find("kitchen");  // never starts
 * }
 *
 * <table>
 *   <caption>{@link #find} and {@link #findOrStart}</caption>
 *   <tr><th>The key's server</th><th>{@code find}</th><th>{@code findOrStart}</th></tr>
 *   <tr><td>registered</td><td>it, lock-free</td><td>it, lock-free</td></tr>
 *   <tr><td>exited, and its supervisor restarts it</td><td>waits up to the restart wait for the
 *   new instance to register; empty after it</td><td>the same; {@link ChildException.Restarting}
 *   after it</td></tr>
 *   <tr><td>none (never started, or ended for good)</td><td>empty</td><td>starts it</td></tr>
 *   <tr><td>registered by a process that is no child of the supervisor</td><td>it</td><td>it (the
 *   start found the name taken: Elixir's {@code already_started})</td></tr>
 * </table>
 *
 * <p>Every child has the same {@code childId}, and its process keeps its server's default label, so
 * supervision and call metrics stay bounded however many keys users make up; each is told apart by
 * the name it registered under ({@link ChildInfo#name()}, {@link Pid#registeredName()}), which the
 * tree and the supervisor reports show, so they say which one crashed. Starts of one key are
 * serialised (striped locks), so two first uses never start the same key twice, and a first use
 * never starts a key that the supervisor is restarting (which would make the restart fail on the
 * taken name). Configure with the {@code with} methods before first use; the object is thread-safe.
 *
 * @param <K> the key type
 * @param <M> the servers' protocol
 */
public final class NamedChildren<K, M> {
  private static final int STRIPES = 64;

  /* The child a key's last start made, and the supervisor instance it started under. */
  private record Owned(Pid child, Pid supervisor) {}

  private final DynamicSupervisorRef supervisor;
  private final Registry<K, ?> registry;
  private final String childId;
  private final Function<? super K, ? extends Server<M>> factory;
  private final Restart restart;
  private final Shutdown shutdown;
  private final Duration restartWait;
  private final ConcurrentHashMap<K, Owned> owned = new ConcurrentHashMap<>();
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  private NamedChildren(
      DynamicSupervisorRef supervisor,
      Registry<K, ?> registry,
      String childId,
      Function<? super K, ? extends Server<M>> factory,
      Restart restart,
      Shutdown shutdown,
      Duration restartWait) {
    this.supervisor = supervisor;
    this.registry = registry;
    this.childId = childId;
    this.factory = factory;
    this.restart = restart;
    this.shutdown = shutdown;
    this.restartWait = restartWait;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /**
   * Servers made by {@code factory} from their key, started under {@code supervisor} as permanent
   * children with id {@code childId}, each registered in {@code registry} under its key; a 5 second
   * shutdown and restart wait.
   *
   * @throws IllegalArgumentException if the registry has duplicate keys, or {@code childId} is
   *     blank
   */
  public static <K, M> NamedChildren<K, M> of(
      DynamicSupervisorRef supervisor,
      Registry<K, ?> registry,
      String childId,
      Function<? super K, ? extends Server<M>> factory) {
    Objects.requireNonNull(supervisor, "supervisor");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(factory, "factory");
    if (registry.keys() != Keys.UNIQUE) {
      throw new IllegalArgumentException(
          "registry '" + registry.name() + "' has duplicate keys; named children need unique keys");
    }
    if (childId == null || childId.isBlank()) {
      throw new IllegalArgumentException("childId must not be blank but was '" + childId + "'");
    }
    return new NamedChildren<>(
        supervisor,
        registry,
        childId,
        factory,
        Restart.PERMANENT,
        ChildSpec.DEFAULT_WORKER_SHUTDOWN,
        Duration.ofSeconds(5));
  }

  /** A copy whose children have {@code restart} (when they exit, see {@link Restart}). */
  public NamedChildren<K, M> withRestart(Restart restart) {
    return new NamedChildren<>(
        supervisor,
        registry,
        childId,
        factory,
        Objects.requireNonNull(restart, "restart"),
        shutdown,
        restartWait);
  }

  /** A copy whose children stop with {@code shutdown}. */
  public NamedChildren<K, M> withShutdown(Shutdown shutdown) {
    return new NamedChildren<>(
        supervisor,
        registry,
        childId,
        factory,
        restart,
        Objects.requireNonNull(shutdown, "shutdown"),
        restartWait);
  }

  /** A copy that waits up to {@code restartWait} for a restarting server (see the table). */
  public NamedChildren<K, M> withRestartWait(Duration restartWait) {
    Objects.requireNonNull(restartWait, "restartWait");
    if (restartWait.isNegative()) {
      throw new IllegalArgumentException("restartWait must be >= 0 but was " + restartWait);
    }
    return new NamedChildren<>(
        supervisor, registry, childId, factory, restart, shutdown, restartWait);
  }

  /** The supervisor the servers run under. */
  public DynamicSupervisorRef supervisor() {
    return supervisor;
  }

  /** The registry the servers register in. */
  public Registry<K, ?> registry() {
    return registry;
  }

  /**
   * A handle on the server of {@code key} through its registered name, whether it runs or not:
   * calls fail with {@link dev.supervision.core.server.CallException.NoProc} while it does not.
   */
  public ServerRef<M> ref(K key) {
    return ServerRef.of(registry.via(Objects.requireNonNull(key, "key")));
  }

  /** The number of servers registered now. */
  public int count() {
    return registry.count();
  }

  /**
   * The server of {@code key} if it runs, waiting up to the restart wait if its supervisor is
   * restarting it; empty if there is none. Never starts one.
   */
  public Optional<ServerRef<M>> find(K key) {
    Objects.requireNonNull(key, "key");
    if (registry.whereis(key).isPresent()) {
      return Optional.of(ref(key));
    }
    ReentrantLock lock = lockFor(key);
    lock.lock();
    try {
      return Optional.ofNullable(existing(key)).map(pid -> ref(key));
    } catch (ChildException.Restarting e) {
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The server of {@code key}, started under the supervisor if there is none.
   *
   * @return a handle through its registered name
   * @throws ChildException.Restarting if it is being restarted and did not come back within the
   *     restart wait
   * @throws ChildException.MaxChildren if the supervisor is full
   * @throws ChildException.StartFailed if its start failed
   * @throws dev.supervision.core.server.CallException.NoProc if the supervisor is not running
   */
  public ServerRef<M> findOrStart(K key) {
    Objects.requireNonNull(key, "key");
    if (registry.whereis(key).isPresent()) {
      return ref(key);
    }
    ReentrantLock lock = lockFor(key);
    lock.lock();
    try {
      if (existing(key) != null) {
        return ref(key);
      }
      try {
        supervisor.startChild(spec(key));
      } catch (ChildException.StartFailed e) {
        if (!(e.getCause() instanceof StartException s) || s.alreadyStarted().isEmpty()) {
          throw e;
        }
        // registered by a process that is not our child: Elixir's {:already_started, pid}
      }
      return ref(key);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the server of {@code key} by its shutdown and removes it from the supervisor, so that it
   * is not restarted.
   *
   * @return whether it was running
   */
  public boolean terminate(K key) {
    Objects.requireNonNull(key, "key");
    ReentrantLock lock = lockFor(key);
    lock.lock();
    try {
      Owned o = owned.remove(key);
      Pid pid = registry.whereis(key).orElse(o == null ? null : o.child());
      if (pid == null || !pid.isAlive()) {
        return false;
      }
      try {
        supervisor.terminateChild(pid);
        return true;
      } catch (ChildException.NotFound e) {
        return false; // registered by a process that is not our child, or already gone
      }
    } finally {
      lock.unlock();
    }
  }

  /*
   * Under the key's lock: the registered server, or the restarted one if the supervisor instance
   * that started the key's child restarts it now; null if there is none.
   */
  private @Nullable Pid existing(K key) {
    Pid registered = registry.whereis(key).orElse(null);
    if (registered != null) {
      return registered;
    }
    Owned o = owned.get(key);
    if (o == null) {
      return null;
    }
    Pid current = supervisor.whereis();
    boolean restarting =
        current == o.supervisor()
            && o.child().exitReason().map(restart::restartsAfter).orElse(true);
    if (!restarting) {
      owned.remove(key, o);
      return null;
    }
    Pid back = registry.awaitWhereis(key, restartWait).orElse(null);
    if (back == null) {
      throw new ChildException.Restarting(childId + " '" + key + "'");
    }
    return back;
  }

  private ChildSpec spec(K key) {
    /* No label from the key: a label tags the call metrics, and keys are often user input. */
    StartOptions options = StartOptions.named(registry.via(key));
    return ChildSpec.worker(
            childId,
            () -> {
              Pid pid = GenServer.startLink(() -> factory.apply(key), options).pid();
              // Runs in the supervisor at every start and restart: the key's child is this one now.
              Pid self = ProcessContext.current().orElseThrow().self();
              owned.put(key, new Owned(pid, self));
              pid.node()
                  .monitor(
                      pid,
                      (p, reason) -> {
                        if (!restart.restartsAfter(reason)) {
                          owned.computeIfPresent(key, (k, o) -> o.child() == p ? null : o);
                        }
                      });
              return pid;
            })
        .withRestart(restart)
        .withShutdown(shutdown);
  }

  private ReentrantLock lockFor(K key) {
    return locks[(key.hashCode() & Integer.MAX_VALUE) % STRIPES];
  }

  @Override
  public String toString() {
    return "NamedChildren[" + childId + " under " + supervisor + ", " + registry.name() + "]";
  }
}

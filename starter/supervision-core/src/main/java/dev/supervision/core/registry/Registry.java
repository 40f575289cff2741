package dev.supervision.core.registry;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A local, partitioned key-to-process table of one node (Elixir's {@code Registry}): processes
 * register themselves under keys with a value, and their entries disappear when they exit.
 *
 * {@snippet :
 * Registry<String, @Nullable Object> rooms = Registry.unique(node, "rooms");
 * GenServer.start(node, Room::new, StartOptions.named(rooms.via("room:lobby")));
 * ServerRef<Room.Message> lobby = ServerRef.of(rooms.via("room:lobby"));
 * String topic = lobby.call(Room.GetTopic::new);
 *
 * Registry<String, String> topics = Registry.duplicate(node, "topics");
 * // inside a subscriber process:
 * topics.register("news", "subscriber-1");
 * // anywhere:
 * topics.dispatch("news", entries -> entries.forEach(e -> e.pid().send(headline)));
 * }
 *
 * <table>
 *   <caption>Operations (Elixir's {@code Registry} functions)</caption>
 *   <tr><th>Method</th><th>Caller</th><th>Result</th></tr>
 *   <tr><td>{@link #register}</td><td>a process</td><td>registers the <em>calling</em> process;
 *   {@link AlreadyRegisteredException} when a unique key is held by a live process (the caller
 *   included); a duplicate registry accepts repeated registrations by the same process</td></tr>
 *   <tr><td>{@link #unregister}</td><td>a process</td><td>removes all of the caller's entries
 *   under the key; entries of other processes are never touched, and unregistering a key the
 *   caller does not hold does nothing (Elixir returns {@code :ok})</td></tr>
 *   <tr><td>{@link #lookup}, {@link #match}, {@link #count(Object)}</td><td>any thread</td>
 *   <td>live entries only: a process that has exited is never returned, even before its entries
 *   are removed</td></tr>
 *   <tr><td>{@link #select}, {@link #countSelect}</td><td>any thread</td><td>live
 *   registrations over all keys that a predicate on key, pid and value accepts</td></tr>
 *   <tr><td>{@link #dispatch}</td><td>any thread</td><td>calls back with the non-empty list of
 *   live entries; not at all when there are none</td></tr>
 *   <tr><td>{@link #updateValue}</td><td>the owner</td><td>unique keys only; empty when the
 *   caller does not hold the key</td></tr>
 *   <tr><td>{@link #via}</td><td>any thread</td><td>a {@link Name} for servers; unique keys
 *   only</td></tr>
 *   <tr><td>{@link #lock}</td><td>any thread</td><td>runs a function while holding the
 *   lock on a key, one caller of the key at a time, in arrival order; released if the holder
 *   throws or its process exits</td></tr>
 *   <tr><td>{@link #putMeta}, {@link #meta}, {@link #deleteMeta}</td><td>any thread</td>
 *   <td>registry-wide metadata, starting with {@link RegistrySpec#meta()}</td></tr>
 * </table>
 *
 * <p><b>Process exit.</b> When a registered process exits, for any reason, kill included, all its
 * entries are removed on the thread that ends it, <em>before</em> its links are signalled and its
 * monitors notified. So when a supervisor (linked) learns that a child died, the child's names are
 * already free and its restarted instance can register them again under its new pid.
 *
 * <p><b>Keys</b> are compared with {@code equals}; {@code null} and the empty string are refused
 * with {@link IllegalArgumentException}. Keys are spread over {@link RegistrySpec#partitions()}
 * tables by hash, so all entries of one key live in one partition (Elixir's {@code {:duplicate,
 * :key}} partitioning). <b>Values</b> may be anything, {@code null} included; they are not copied.
 *
 * <p><b>Events.</b> If the spec enables them, every registration publishes {@link
 * dev.supervision.core.event.SupervisionEvent.EntryRegistered} and every removal {@link
 * dev.supervision.core.event.SupervisionEvent.EntryRemoved} (one per entry) on the node's {@link
 * dev.supervision.core.event.EventBus}, on the thread that made the change. Unlike Elixir's
 * listeners, removals caused by a process exit are published too, so that sizes can be tracked.
 *
 * <p><b>Threading.</b> All methods are thread-safe. Lookups are lock-free reads of a {@link
 * java.util.concurrent.ConcurrentHashMap}; a registration costs one map insertion plus, for the
 * first key of a process, one exit callback ({@link Node#monitor(Pid,
 * dev.supervision.core.process.ExitCallback)}) kept until the process exits. Results are snapshots.
 *
 * @param <K> the key type
 * @param <V> the value type; may be nullable
 */
public interface Registry<K, V extends @Nullable Object> extends AutoCloseable {

  /**
   * Creates a registry on {@code node}.
   *
   * @throws IllegalStateException if the node already has a registry with this name, or is closed
   */
  static <K, V extends @Nullable Object> Registry<K, V> create(Node node, RegistrySpec spec) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(spec, "spec");
    return PartitionedRegistry.create(node, spec);
  }

  /** Creates a registry with unique keys and the default options. */
  static <K, V extends @Nullable Object> Registry<K, V> unique(Node node, String name) {
    return create(node, RegistrySpec.unique(name));
  }

  /** Creates a registry with duplicate keys and the default options. */
  static <K, V extends @Nullable Object> Registry<K, V> duplicate(Node node, String name) {
    return create(node, RegistrySpec.duplicate(name));
  }

  /** The open registry named {@code name} on {@code node}, if any. */
  static Optional<Registry<?, ?>> find(Node node, String name) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(name, "name");
    return RegistryDirectory.of(node).find(name);
  }

  /** The open registries of {@code node}, in no particular order. */
  static List<Registry<?, ?>> all(Node node) {
    Objects.requireNonNull(node, "node");
    return RegistryDirectory.of(node).all();
  }

  /** The name from the spec. */
  String name();

  /** The spec the registry was created with. */
  RegistrySpec spec();

  /** Whether keys are unique or duplicate. */
  default Keys keys() {
    return spec().keys();
  }

  /** The node the registry belongs to. */
  Node node();

  /**
   * Registers the calling process under {@code key} with {@code value}. The entry lasts until the
   * process unregisters it or exits.
   *
   * @throws AlreadyRegisteredException if the keys are unique and a live process, possibly the
   *     caller, holds {@code key}; a holder that has exited but is not yet cleaned up does not
   *     count
   * @throws NotAliveException if the calling process has been killed while its thread still runs
   * @throws IllegalArgumentException if {@code key} is null or an empty string
   * @throws IllegalStateException if the caller is not a process, or the registry is closed
   */
  void register(K key, V value);

  /**
   * Removes every entry of the calling process under {@code key}. Does nothing when it has none;
   * entries of other processes are never removed.
   *
   * @throws IllegalArgumentException if {@code key} is null or an empty string
   * @throws IllegalStateException if the caller is not a process
   */
  void unregister(K key);

  /**
   * Removes the calling process's entries under {@code key} whose value {@code filter} accepts
   * (Elixir's {@code unregister_match}).
   *
   * @throws IllegalStateException if the caller is not a process
   */
  void unregisterMatch(K key, Predicate<? super V> filter);

  /** The live entries under {@code key}, in no particular order; empty if none. */
  List<Entry<V>> lookup(K key);

  /**
   * The live process holding {@code key}: for a unique registry, the one entry's process; for a
   * duplicate registry, any one of them.
   */
  Optional<Pid> whereis(K key);

  /** The live entries under {@code key} whose value {@code filter} accepts. */
  List<Entry<V>> match(K key, Predicate<? super V> filter);

  /**
   * The number of entries in the registry, over all keys. Entries of a process that has just exited
   * may be counted until its clean-up finishes (as in Elixir).
   */
  int count();

  /** The number of live entries under {@code key}. */
  int count(K key);

  /** The number of live entries under {@code key} whose value {@code filter} accepts. */
  int countMatch(K key, Predicate<? super V> filter);

  /**
   * The live registrations, over all keys, that {@code filter} accepts, in no particular order
   * (Elixir's {@code select/2}). Where Elixir writes a match spec over {@code {key, pid, value}},
   * write a predicate over a {@link Registration}; shape the result with a stream.
   *
   * {@snippet :
   * // Elixir: Registry.select(reg, [{{:"$1", :_, :"$2"}, [{:>, :"$2", 100}], [:"$1"]}])
   * List<String> rich =
   *     scores.select(r -> r.value() > 100).stream().map(Registration::key).toList();
   * // Elixir: Registry.select(reg, [{{:"$1", self(), :_}, [], [:"$1"]}])
   * List<Registration<String, Integer>> mine = scores.select(r -> r.pid() == self);
   * }
   *
   * <p>It reads every partition without locking them: a registration made or removed while it runs
   * may or may not be seen, and a process that has exited is never returned (as {@link #lookup}).
   * It costs a pass over all entries, as in Elixir; a query on one key is cheaper with {@link
   * #match}. Exceptions from {@code filter} propagate.
   */
  List<Registration<K, V>> select(Predicate<? super Registration<K, V>> filter);

  /**
   * The number of live registrations, over all keys, that {@code filter} accepts (Elixir's {@code
   * count_select/2}); what {@link #select} would return, counted without building the list.
   */
  int countSelect(Predicate<? super Registration<K, V>> filter);

  /**
   * The keys {@code pid} is registered under, a key repeated once per entry in a duplicate
   * registry; empty if it has none or has exited.
   */
  List<K> keys(Pid pid);

  /** The values {@code pid} registered under {@code key}; empty if none. */
  List<V> values(K key, Pid pid);

  /**
   * Calls {@code callback} on the calling thread with the live entries under {@code key}, unless
   * there are none (Elixir's {@code dispatch}; since a key lives in one partition, the callback
   * runs at most once). Exceptions from the callback propagate to the caller.
   */
  void dispatch(K key, Consumer<? super List<Entry<V>>> callback);

  /**
   * Replaces the value of the calling process's entry under a unique {@code key} with {@code
   * update} applied to the old one.
   *
   * @return the new and the old value; empty if the caller does not hold {@code key}
   * @throws IllegalArgumentException if the registry has duplicate keys (as Elixir)
   * @throws IllegalStateException if the caller is not a process
   */
  Optional<ValueUpdate<V>> updateValue(K key, UnaryOperator<V> update);

  /**
   * A name for {@link dev.supervision.core.server.GenServer}: a server started with {@code
   * StartOptions.named(registry.via(key))} registers itself under {@code key} (value {@code null})
   * before its {@code init}; calls and casts to the name reach the live holder.
   *
   * <table>
   *   <caption>Using a via name</caption>
   *   <tr><th>Operation</th><th>Key free</th><th>Key held by a live process</th></tr>
   *   <tr><td>start with the name</td><td>registers the new server</td><td>{@code
   *   StartException} with {@code alreadyStarted()} = the holder</td></tr>
   *   <tr><td>{@code ServerRef.call}</td><td>{@code CallException.NoProc}</td><td>calls the
   *   holder</td></tr>
   *   <tr><td>{@code ServerRef.cast}</td><td>dropped</td><td>casts to the holder</td></tr>
   *   <tr><td>{@link Name#whereis()}</td><td>{@code null}</td><td>the holder</td></tr>
   * </table>
   *
   * <p>The name is released when the server exits, before its supervisor learns of the exit, so its
   * restarted instance registers it again. Because entries made this way have a {@code null} value,
   * declare {@code V} nullable on registries used with it.
   *
   * @throws IllegalArgumentException if the registry has duplicate keys (Elixir: "via is not
   *     supported for duplicate registries"), or {@code key} is null or empty
   */
  Name via(K key);

  /** Like {@link #via(Object)}, registering with {@code value}. */
  Name via(K key, V value);

  /**
   * Stores registry metadata under {@code key}, replacing what was there (Elixir's {@code
   * put_meta}).
   *
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  void putMeta(Object key, Object value);

  /**
   * The metadata under {@code key} (Elixir's {@code meta}): what {@link RegistrySpec#meta()} gave
   * at creation, as changed since by {@link #putMeta} and {@link #deleteMeta}; empty if none, and
   * after {@link #close()}.
   */
  Optional<Object> meta(Object key);

  /** Removes the metadata under {@code key}, if any (Elixir's {@code delete_meta}). */
  void deleteMeta(Object key);

  /**
   * Runs {@code function} on the calling thread while holding the lock on {@code lockKey}, and
   * returns its result (Elixir's {@code lock/3}): callers of the same key, processes or plain
   * threads, run one at a time, in the order they arrived; different keys do not wait for each
   * other. Lock keys have their own namespace: they are not registry keys, and locking registers
   * nothing.
   *
   * {@snippet :
   * // Elixir: Registry.lock(Accounts, account_id, fn -> transfer(account_id, amount) end)
   * Receipt receipt = accounts.lock(accountId, () -> transfer(accountId, amount));
   * }
   *
   * <table>
   *   <caption>When the lock is released</caption>
   *   <tr><th>Holder</th><th>Lock</th><th>Caller sees</th></tr>
   *   <tr><td>{@code function} returns</td><td>released, passed to the next caller</td><td>the
   *   result</td></tr>
   *   <tr><td>{@code function} throws</td><td>released, passed on</td><td>the exception</td></tr>
   *   <tr><td>the holding process exits (killed, or taken down by a link)</td><td>released at
   *   once, on the thread that ends it, before links and monitors hear of the exit</td><td>-</td>
   *   </tr>
   * </table>
   *
   * <p><b>Waiting.</b> A caller waits as long as the lock is held (Elixir's waiter gives up after
   * the default 5 s call timeout). An interrupt does not end the wait, as with {@link
   * java.util.concurrent.locks.ReentrantLock#lock()}; the interrupt status is kept. A waiting
   * process that exits stops waiting and is skipped, so the lock never goes to a dead process.
   *
   * <p><b>Limits.</b> The lock is not reentrant: locking a key again from inside {@code function}
   * would wait forever, so it throws {@link IllegalStateException} (in Elixir the inner call waits
   * until its call timeout). A process that is killed while {@code function} ignores the interrupt
   * keeps running it on its thread after the lock has passed on (the JVM cannot stop a thread).
   * Closing the registry ends every wait with {@link IllegalStateException}; holders keep running.
   *
   * @param lockKey any non-null value; compared with {@code equals}
   * @param function what to run while holding the lock
   * @param <R> the result type
   * @return what {@code function} returned
   * @throws IllegalArgumentException if {@code lockKey} is null
   * @throws IllegalStateException if the caller already holds the lock on {@code lockKey}, or the
   *     registry is closed (before or while waiting)
   */
  <R extends @Nullable Object> R lock(Object lockKey, Supplier<R> function);

  /**
   * Calls {@code onChange} after every change to the entries under {@code key}: registrations,
   * unregistrations and removals on process exit. It runs on the thread that made the change (the
   * registering process, or the one whose exit removed the entries), so it must be short, must not
   * block and must not register or unregister itself; exceptions are logged and ignored. Read the
   * new state with {@link #lookup}. Used by load balancers over a key.
   */
  Subscription subscribe(K key, Runnable onChange);

  /**
   * The live process holding {@code key} (see {@link #whereis}), waiting up to {@code timeout} for
   * one to register: for a name whose server is being restarted. Woken by the registry on every
   * change of the key, not by polling.
   *
   * @return the holder, or empty if none came in time or the thread was interrupted (its interrupt
   *     flag is then set again)
   */
  default Optional<Pid> awaitWhereis(K key, Duration timeout) {
    Semaphore changed = new Semaphore(0);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Subscription subscription = subscribe(key, changed::release)) {
      while (true) {
        Optional<Pid> pid = whereis(key);
        if (pid.isPresent()) {
          return pid;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !changed.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
          return whereis(key);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Closes the registry: its entries and metadata are dropped, its exit callbacks removed and its
   * name freed on the node. Later registrations throw {@link IllegalStateException}; lookups find
   * nothing. Idempotent.
   */
  @Override
  void close();

  /** Whether {@link #close()} has been called. */
  boolean isClosed();

  /**
   * One registration: a process and the value it registered with.
   *
   * @param pid the registered process
   * @param value the value given at registration
   * @param <V> the value type
   */
  record Entry<V extends @Nullable Object>(Pid pid, V value) {}

  /**
   * One registration seen by {@link #select}: the key, the registered process and its value
   * (Elixir's {@code {key, pid, value}}).
   *
   * @param key the key it is registered under
   * @param pid the registered process
   * @param value the value given at registration (or the latest {@link #updateValue})
   * @param <K> the key type
   * @param <V> the value type
   */
  record Registration<K, V extends @Nullable Object>(K key, Pid pid, V value) {}

  /**
   * The result of {@link #updateValue}.
   *
   * @param newValue the value now stored
   * @param oldValue the value replaced
   * @param <V> the value type
   */
  record ValueUpdate<V extends @Nullable Object>(V newValue, V oldValue) {}
}

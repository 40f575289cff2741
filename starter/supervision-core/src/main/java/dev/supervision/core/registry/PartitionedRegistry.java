package dev.supervision.core.registry;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Name;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/*
 * The registry: `partitions` independent tables, a key's entries in the partition of its hash, a
 * process's Owner record in the partition of its pid.
 *
 * Unique keys: table value = an immutable one-element List of the Entry (so that a lookup returns
 * it as is, without allocating), inserted with putIfAbsent, replaced with a CAS (replace) when its
 * holder is dead but not yet cleaned up, removed with remove(key, list) only while the entry's pid
 * is the one being removed, so a dead holder's late clean-up never removes its successor.
 *
 * Duplicate keys: table value = a Bucket, changed inside compute (see Bucket).
 *
 * Clean-up ordering. The first registration of a process creates its Owner and installs an exit
 * callback with Node.monitor(pid, callback). The runtime runs exit callbacks on the thread that ends
 * the process, right after the process is marked dead and before linked processes are signalled
 * or monitoring processes get their Down notice. So by the time a supervisor learns that a child
 * died, the child's entries are gone and its restarted instance can take its names again. Between
 * "marked dead" and the callback, lookups already skip the entries because they check isAlive().
 *
 * A registration racing with its process's death (killed from another thread while registering)
 * is resolved by the Owner lock: see Owner.
 */
final class PartitionedRegistry<K, V extends @Nullable Object> implements Registry<K, V> {
  private static final System.Logger LOG = System.getLogger(PartitionedRegistry.class.getName());
  private static final Runnable[] NO_WATCHERS = new Runnable[0];

  private final Node node;
  private final RegistrySpec spec;
  private final boolean unique;
  private final Partition[] partitions;
  private final EventBus bus;
  private final boolean events;
  private final ConcurrentHashMap<Object, Object> meta = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Object, Runnable[]> watchers = new ConcurrentHashMap<>();
  private final AtomicInteger watcherCount = new AtomicInteger();
  private final Locks locks;
  private volatile boolean closed;

  private static final class Partition {
    final ConcurrentHashMap<Object, Object> table = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Pid, Owner> owners = new ConcurrentHashMap<>();
    final LongAdder duplicates = new LongAdder();
  }

  private PartitionedRegistry(Node node, RegistrySpec spec) {
    this.node = node;
    this.spec = spec;
    this.unique = spec.keys() == Keys.UNIQUE;
    this.partitions = new Partition[spec.partitions()];
    for (int i = 0; i < partitions.length; i++) {
      partitions[i] = new Partition();
    }
    this.bus = EventBus.of(node);
    this.events = spec.events();
    this.meta.putAll(spec.meta());
    this.locks = new Locks(spec.name());
  }

  static <K, V extends @Nullable Object> PartitionedRegistry<K, V> create(
      Node node, RegistrySpec spec) {
    if (node.isClosed()) {
      throw new IllegalStateException(
          "node " + node.name() + " is closed; cannot create registry '" + spec.name() + "'");
    }
    PartitionedRegistry<K, V> registry = new PartitionedRegistry<>(node, spec);
    if (!RegistryDirectory.of(node).add(registry)) {
      throw new IllegalStateException(
          "node "
              + node.name()
              + " already has a registry named '"
              + spec.name()
              + "'; close it first or choose another name");
    }
    return registry;
  }

  // ---------------------------------------------------------------- accessors

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public RegistrySpec spec() {
    return spec;
  }

  @Override
  public Node node() {
    return node;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  private Partition partitionOfKey(Object key) {
    Partition[] p = partitions;
    return p.length == 1 ? p[0] : p[(key.hashCode() & 0x7fffffff) % p.length];
  }

  private Partition partitionOfPid(Pid pid) {
    Partition[] p = partitions;
    return p.length == 1 ? p[0] : p[(int) ((pid.id() & 0x7fffffffL) % p.length)];
  }

  private Object checkKey(@Nullable Object key) {
    if (key == null) {
      throw new IllegalArgumentException("registry '" + name() + "': key must not be null");
    }
    if (key instanceof String s && s.isEmpty()) {
      throw new IllegalArgumentException(
          "registry '" + name() + "': key must not be an empty string");
    }
    return key;
  }

  private Pid caller(String operation) {
    Optional<ProcessContext> self = ProcessContext.current();
    if (self.isEmpty()) {
      throw new IllegalStateException(
          "registry '"
              + name()
              + "': "
              + operation
              + " must be called from a process, which becomes the owner of the entry");
    }
    return self.get().self();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("registry '" + name() + "' is closed");
    }
  }

  // ---------------------------------------------------------------- register

  @Override
  public void register(K key, V value) {
    Object k = checkKey(key);
    Pid self = caller("register");
    Pid holder = put(self, k, value);
    if (holder != null) {
      throw new AlreadyRegisteredException(name(), k, holder);
    }
  }

  /*
   * Registers pid (normally the calling process) under key. Returns null on success, the live
   * holder if a unique key is taken.
   */
  @Nullable Pid put(Pid pid, Object key, @Nullable Object value) {
    checkOpen();
    if (!pid.isAlive()) {
      throw new NotAliveException(name(), pid);
    }
    Partition kp = partitionOfKey(key);
    Owner owner = owner(pid);
    Registry.Entry<@Nullable Object> entry = new Registry.Entry<>(pid, value);
    Object stored = entry;
    if (unique) {
      stored = List.of(entry);
      Object current;
      while ((current = kp.table.putIfAbsent(key, stored)) != null) {
        Pid held = single(current).pid();
        if (held.isAlive()) {
          return held;
        }
        if (kp.table.replace(key, current, stored)) {
          break;
        }
      }
    } else {
      kp.table.compute(key, (k, b) -> b == null ? Bucket.of(entry) : ((Bucket) b).add(entry));
      kp.duplicates.increment();
    }
    boolean dead;
    owner.lock();
    try {
      dead = owner.closed;
      if (!dead) {
        owner.keys.merge(key, 1, Integer::sum);
      }
    } finally {
      owner.unlock();
    }
    if (dead || closed) {
      // The process died, or the registry was closed, while we inserted: take the entry back.
      removeEntry(kp, key, stored);
      checkOpen();
      throw new NotAliveException(name(), pid);
    }
    if (events && bus.hasListeners()) {
      bus.publish(new SupervisionEvent.EntryRegistered(Instant.now(), name(), key, pid, value));
    }
    changed(key);
    return null;
  }

  private static boolean all(Registry.Entry<?> entry) {
    return true;
  }

  private static Registry.Entry<?> single(Object stored) {
    return (Registry.Entry<?>) ((List<?>) stored).get(0);
  }

  private Owner owner(Pid pid) {
    ConcurrentHashMap<Pid, Owner> owners = partitionOfPid(pid).owners;
    Owner owner = owners.get(pid);
    if (owner != null) {
      return owner;
    }
    Owner fresh = new Owner(pid);
    owner = owners.putIfAbsent(pid, fresh);
    if (owner != null) {
      return owner;
    }
    // Runs exited(fresh) at once if pid has exited in the meantime.
    fresh.monitor = node.monitor(pid, (p, reason) -> exited(fresh));
    return fresh;
  }

  /* The exit callback: runs on the thread that ends the process, before its links fire. */
  private void exited(Owner owner) {
    HashMap<Object, Integer> keys;
    owner.lock();
    try {
      if (owner.closed) {
        return;
      }
      owner.closed = true;
      keys = owner.keys;
      owner.keys = new HashMap<>(0);
    } finally {
      owner.unlock();
    }
    partitionOfPid(owner.pid).owners.remove(owner.pid, owner);
    for (Object key : keys.keySet()) {
      removed(key, owner.pid, removeAll(key, owner.pid, PartitionedRegistry::all));
    }
  }

  /*
   * Removes pid's entries under key that filter accepts; returns them, for the events. A unique
   * key's table value is already the list of its one entry. For a duplicate key the filter also
   * collects what it accepts: the bucket removes exactly the entries its filter accepts, and
   * computeIfPresent calls the remapping function once.
   */
  @SuppressWarnings("unchecked")
  private List<Registry.Entry<?>> removeAll(
      Object key, Pid pid, Predicate<Registry.Entry<?>> filter) {
    Partition kp = partitionOfKey(key);
    if (unique) {
      Object current;
      while ((current = kp.table.get(key)) != null
          && single(current).pid() == pid
          && filter.test(single(current))) {
        if (kp.table.remove(key, current)) {
          return (List<Registry.Entry<?>>) current;
        }
      }
      return List.of();
    }
    int[] removed = new int[1];
    List<Registry.Entry<?>> taken = new ArrayList<>(1);
    Predicate<Registry.Entry<?>> take =
        e -> {
          if (filter.test(e)) {
            taken.add(e);
            return true;
          }
          return false;
        };
    kp.table.computeIfPresent(key, (k, b) -> ((Bucket) b).remove(pid, take, removed));
    if (removed[0] > 0) {
      kp.duplicates.add(-removed[0]);
    }
    return taken;
  }

  /* Removes what put() stored: the List for a unique key, the Entry for a duplicate key. */
  private void removeEntry(Partition kp, Object key, Object stored) {
    if (unique) {
      kp.table.remove(key, stored);
    } else {
      Registry.Entry<?> entry = (Registry.Entry<?>) stored;
      int[] removed = new int[1];
      kp.table.computeIfPresent(key, (k, b) -> ((Bucket) b).removeEntry(entry, removed));
      if (removed[0] > 0) {
        kp.duplicates.add(-removed[0]);
      }
    }
  }

  private void removed(Object key, Pid pid, List<Registry.Entry<?>> entries) {
    if (entries.isEmpty()) {
      return;
    }
    if (events && bus.hasListeners()) {
      for (Registry.Entry<?> e : entries) {
        bus.publish(new SupervisionEvent.EntryRemoved(Instant.now(), name(), key, pid, e.value()));
      }
    }
    changed(key);
  }

  // ---------------------------------------------------------------- unregister

  @Override
  public void unregister(K key) {
    Object k = checkKey(key);
    Pid self = caller("unregister");
    Owner owner = partitionOfPid(self).owners.get(self);
    if (owner == null) {
      return;
    }
    Integer held;
    owner.lock();
    try {
      held = owner.closed ? null : owner.keys.remove(k);
    } finally {
      owner.unlock();
    }
    if (held != null) {
      removed(k, self, removeAll(k, self, PartitionedRegistry::all));
    }
  }

  @Override
  public void unregisterMatch(K key, Predicate<? super V> filter) {
    Object k = checkKey(key);
    Objects.requireNonNull(filter, "filter");
    Pid self = caller("unregisterMatch");
    Owner owner = partitionOfPid(self).owners.get(self);
    if (owner == null) {
      return;
    }
    List<Registry.Entry<?>> taken = removeAll(k, self, e -> filter.test(value(e)));
    int count = taken.size();
    if (count == 0) {
      return;
    }
    owner.lock();
    try {
      if (!owner.closed) {
        owner.keys.computeIfPresent(k, (kk, n) -> n - count <= 0 ? null : n - count);
      }
    } finally {
      owner.unlock();
    }
    removed(k, self, taken);
  }

  // ---------------------------------------------------------------- lookups

  @SuppressWarnings("unchecked")
  private V value(Registry.Entry<?> entry) {
    return (V) entry.value();
  }

  @SuppressWarnings("unchecked")
  private List<Registry.Entry<V>> liveEntries(Object key) {
    Object current = partitionOfKey(key).table.get(key);
    if (current == null) {
      return List.of();
    }
    if (unique) {
      return single(current).pid().isAlive() ? (List<Registry.Entry<V>>) current : List.of();
    }
    List<Registry.Entry<?>> live = Bucket.live((Bucket) current);
    return Collections.unmodifiableList((List<Registry.Entry<V>>) (List<?>) live);
  }

  /* The live holder of key, for via names and whereis. */
  @Nullable Pid holder(Object key) {
    Object current = partitionOfKey(key).table.get(key);
    if (current == null) {
      return null;
    }
    if (unique) {
      Pid pid = single(current).pid();
      return pid.isAlive() ? pid : null;
    }
    return ((Bucket) current).anyLive();
  }

  @Override
  public List<Registry.Entry<V>> lookup(K key) {
    return liveEntries(checkKey(key));
  }

  @Override
  public Optional<Pid> whereis(K key) {
    return Optional.ofNullable(holder(checkKey(key)));
  }

  @Override
  public List<Registry.Entry<V>> match(K key, Predicate<? super V> filter) {
    Objects.requireNonNull(filter, "filter");
    List<Registry.Entry<V>> all = liveEntries(checkKey(key));
    List<Registry.Entry<V>> out = new ArrayList<>(all.size());
    for (Registry.Entry<V> e : all) {
      if (filter.test(e.value())) {
        out.add(e);
      }
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public int count() {
    long total = 0;
    for (Partition p : partitions) {
      total += unique ? p.table.mappingCount() : p.duplicates.sum();
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, total));
  }

  @Override
  public int count(K key) {
    Object k = checkKey(key);
    if (unique) {
      return holder(k) == null ? 0 : 1;
    }
    return liveEntries(k).size();
  }

  @Override
  public int countMatch(K key, Predicate<? super V> filter) {
    return match(key, filter).size();
  }

  @Override
  public List<Registry.Registration<K, V>> select(
      Predicate<? super Registry.Registration<K, V>> filter) {
    Objects.requireNonNull(filter, "filter");
    List<Registry.Registration<K, V>> out = new ArrayList<>();
    scan(filter, out);
    return Collections.unmodifiableList(out);
  }

  @Override
  public int countSelect(Predicate<? super Registry.Registration<K, V>> filter) {
    Objects.requireNonNull(filter, "filter");
    return scan(filter, null);
  }

  /*
   * One pass over every partition's table, with the tables' weakly consistent iterators (no lock,
   * concurrent with registrations); live entries only. Adds the accepted registrations to `out`
   * unless it is null; returns how many were accepted.
   */
  @SuppressWarnings("unchecked")
  private int scan(
      Predicate<? super Registry.Registration<K, V>> filter,
      @Nullable List<Registry.Registration<K, V>> out) {
    int count = 0;
    List<Registry.Entry<?>> scratch = unique ? List.of() : new ArrayList<>();
    for (Partition p : partitions) {
      for (Map.Entry<Object, Object> stored : p.table.entrySet()) {
        K key = (K) stored.getKey();
        List<Registry.Entry<?>> entries;
        if (unique) {
          entries = (List<Registry.Entry<?>>) stored.getValue();
          if (!entries.get(0).pid().isAlive()) {
            continue;
          }
        } else {
          scratch.clear();
          ((Bucket) stored.getValue()).collectLive(scratch);
          entries = scratch;
        }
        for (Registry.Entry<?> e : entries) {
          Registry.Registration<K, V> r = new Registry.Registration<>(key, e.pid(), value(e));
          if (filter.test(r)) {
            count++;
            if (out != null) {
              out.add(r);
            }
          }
        }
      }
    }
    return count;
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<K> keys(Pid pid) {
    Objects.requireNonNull(pid, "pid");
    Owner owner = partitionOfPid(pid).owners.get(pid);
    if (owner == null) {
      return List.of();
    }
    List<K> out = new ArrayList<>();
    owner.lock();
    try {
      for (Map.Entry<Object, Integer> e : owner.keys.entrySet()) {
        for (int i = 0; i < e.getValue(); i++) {
          out.add((K) e.getKey());
        }
      }
    } finally {
      owner.unlock();
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public List<V> values(K key, Pid pid) {
    Objects.requireNonNull(pid, "pid");
    List<V> out = new ArrayList<>();
    for (Registry.Entry<V> e : liveEntries(checkKey(key))) {
      if (e.pid() == pid) {
        out.add(e.value());
      }
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public void dispatch(K key, Consumer<? super List<Registry.Entry<V>>> callback) {
    Objects.requireNonNull(callback, "callback");
    List<Registry.Entry<V>> entries = liveEntries(checkKey(key));
    if (!entries.isEmpty()) {
      callback.accept(entries);
    }
  }

  @Override
  public Optional<Registry.ValueUpdate<V>> updateValue(K key, UnaryOperator<V> update) {
    Object k = checkKey(key);
    Objects.requireNonNull(update, "update");
    if (!unique) {
      throw new IllegalArgumentException(
          "registry '" + name() + "': updateValue is only supported for unique registries");
    }
    Pid self = caller("updateValue");
    Partition kp = partitionOfKey(k);
    while (true) {
      Object current = kp.table.get(k);
      if (current == null || single(current).pid() != self) {
        return Optional.empty();
      }
      V old = value(single(current));
      V next = update.apply(old);
      if (kp.table.replace(k, current, List.of(new Registry.Entry<>(self, next)))) {
        return Optional.of(new Registry.ValueUpdate<>(next, old));
      }
    }
  }

  // ---------------------------------------------------------------- via

  @Override
  @SuppressWarnings("NullAway") // entries made through via(key) hold null, as Elixir's nil
  public Name via(K key) {
    return via(key, null);
  }

  @Override
  public Name via(K key, V value) {
    Object k = checkKey(key);
    if (!unique) {
      throw new IllegalArgumentException(
          "registry '" + name() + "': via is not supported for duplicate registries");
    }
    return new Via(this, k, value);
  }

  // ---------------------------------------------------------------- metadata

  @Override
  public void putMeta(Object key, Object value) {
    meta.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
  }

  @Override
  public Optional<Object> meta(Object key) {
    return Optional.ofNullable(meta.get(Objects.requireNonNull(key, "key")));
  }

  @Override
  public void deleteMeta(Object key) {
    meta.remove(Objects.requireNonNull(key, "key"));
  }

  // ---------------------------------------------------------------- locks

  @Override
  public <R extends @Nullable Object> R lock(Object lockKey, Supplier<R> function) {
    if (lockKey == null) {
      throw new IllegalArgumentException("registry '" + name() + "': lock key must not be null");
    }
    Objects.requireNonNull(function, "function");
    return locks.lock(lockKey, function);
  }

  // ---------------------------------------------------------------- change callbacks

  @Override
  public Subscription subscribe(K key, Runnable onChange) {
    Object k = checkKey(key);
    Objects.requireNonNull(onChange, "onChange");
    watchers.compute(
        k,
        (kk, rs) -> {
          Runnable[] current = rs == null ? NO_WATCHERS : rs;
          Runnable[] next = Arrays.copyOf(current, current.length + 1);
          next[current.length] = onChange;
          return next;
        });
    watcherCount.incrementAndGet();
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.compareAndSet(true, false)) {
        watchers.computeIfPresent(k, (kk, rs) -> without(rs, onChange));
        watcherCount.decrementAndGet();
      }
    };
  }

  private static Runnable @Nullable [] without(Runnable[] rs, Runnable r) {
    for (int i = 0; i < rs.length; i++) {
      if (rs[i] == r) {
        if (rs.length == 1) {
          return null;
        }
        Runnable[] next = new Runnable[rs.length - 1];
        System.arraycopy(rs, 0, next, 0, i);
        System.arraycopy(rs, i + 1, next, i, rs.length - i - 1);
        return next;
      }
    }
    return rs;
  }

  private void changed(Object key) {
    if (watcherCount.get() == 0) {
      return;
    }
    Runnable[] rs = watchers.get(key);
    if (rs == null) {
      return;
    }
    for (Runnable r : rs) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "change callback of registry '" + name() + "' for key " + key + " failed",
            e);
      }
    }
  }

  // ---------------------------------------------------------------- close

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RegistryDirectory.of(node).remove(this);
    locks.close();
    for (Partition p : partitions) {
      for (Owner owner : p.owners.values()) {
        owner.lock();
        try {
          owner.closed = true;
          owner.keys = new HashMap<>(0);
        } finally {
          owner.unlock();
        }
        MonitorRef ref = owner.monitor;
        if (ref != null) {
          node.demonitor(ref);
        }
      }
      p.owners.clear();
      p.table.clear();
      p.duplicates.reset();
    }
    meta.clear();
  }

  @Override
  public String toString() {
    return "Registry[" + name() + ", " + spec.keys() + ", " + count() + " entries]";
  }
}

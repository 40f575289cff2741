package dev.supervision.core.balance;

import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.registry.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/*
 * A balancer over the processes registered under one key of a duplicate registry.
 *
 * The registry calls changed() after every change under the key (on the registering thread, or on
 * the thread of a process whose exit removed its entries, before its links fire). changed() only
 * bumps `version` and wakes waiters; the member array is rebuilt lazily by the next selection that
 * sees a stale version, so a burst of changes costs one rebuild and registration stays O(1).
 * Rebuilds are serialised by `rebuilding` and read the version before the lookup: a change during
 * the lookup leaves the snapshot stale and the next selection rebuilds again.
 *
 * Members are distinct pids sorted by pid id, so the array, and with it round-robin fairness, is
 * stable while membership is.
 */
final class KeyBalancer<K, M> extends Balancer<M> {
  private final Registry<K, ?> registry;
  private final K key;
  private final Subscription subscription;
  private final AtomicLong version = new AtomicLong();
  private final ReentrantLock rebuilding = new ReentrantLock();
  /* The version the current epoch was built from. */
  private volatile long built = -1;

  /* Guarded by rebuilding: the counters of the current members. */
  private HashMap<Pid, LongAdder> counters = new HashMap<>();

  KeyBalancer(Registry<K, ?> registry, K key, BalanceStrategy strategy) {
    super(registry.name() + "/" + key, strategy);
    this.registry = registry;
    this.key = key;
    this.subscription = registry.subscribe(key, this::changed);
  }

  private void changed() {
    version.incrementAndGet();
    memberJoined();
  }

  @Override
  Epoch epoch() {
    if (built == version.get()) {
      return super.epoch();
    }
    return rebuild();
  }

  private Epoch rebuild() {
    rebuilding.lock();
    try {
      long v = version.get();
      if (built == v) {
        return super.epoch();
      }
      List<Pid> pids = new ArrayList<>();
      for (Registry.Entry<?> e : registry.lookup(key)) {
        if (!pids.contains(e.pid())) {
          pids.add(e.pid());
        }
      }
      pids.sort(Comparator.comparingLong(Pid::id));
      HashMap<Pid, LongAdder> next = new HashMap<>();
      Member[] members = new Member[pids.size()];
      for (int i = 0; i < members.length; i++) {
        Pid pid = pids.get(i);
        LongAdder counter = counters.get(pid);
        if (counter == null) {
          counter = new LongAdder();
        }
        next.put(pid, counter);
        members[i] = new Member(pid, counter);
      }
      counters = next;
      publish(members);
      built = v;
      return super.epoch();
    } finally {
      rebuilding.unlock();
    }
  }

  @Override
  public List<WorkerInfo> workers() {
    Epoch e = epoch();
    Member[] members = e.members;
    List<WorkerInfo> out = new ArrayList<>(members.length);
    for (int i = 0; i < members.length; i++) {
      Member m = members[i];
      out.add(new WorkerInfo(i, m.pid.toString(), m.pid, WorkerState.UP, dispatchesAt(e, i)));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public Map<String, Long> dispatchCounts() {
    Map<String, Long> out = new LinkedHashMap<>();
    Epoch e = epoch();
    for (int i = 0; i < e.members.length; i++) {
      out.put(e.members[i].pid.toString(), dispatchesAt(e, i));
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    subscription.close();
    memberJoined();
  }

  @Override
  public String toString() {
    return "LoadBalancer[" + name() + ", " + super.epoch().members.length + " members]";
  }
}

package dev.supervision.core.registry;

import dev.supervision.core.process.Pid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/*
 * The entries under one key of a duplicate registry.
 *
 * Mutations happen only inside ConcurrentHashMap.compute on the partition table, so they are
 * serialised per key by the map's bin lock; reads (lookups) are lock-free and concurrent with
 * them. A small bucket is an immutable array replaced on every change (copy-on-write, cheap for the
 * usual handful of entries). Past SMALL_MAX entries it becomes a large bucket: a concurrent map
 * from pid to that pid's (immutable, usually one-element) entry array, mutated in place, so that a
 * key with 100,000 subscribers costs O(1) per registration instead of O(n). A large bucket never
 * shrinks back; it is dropped when it empties, like a small one.
 *
 * Every mutator returns the bucket that must replace this one in the table, or null when it is
 * empty, and adds the number of entries it added or removed to `delta`.
 */
@SuppressWarnings("ReferenceEquality") // entries and pids are compared by identity on purpose
abstract sealed class Bucket {
  static final int SMALL_MAX = 16;

  abstract Bucket add(Registry.Entry<?> entry);

  /* Removes pid's entries that `filter` accepts (null: all of them); counts them in removed[0]. */
  abstract @Nullable Bucket remove(Pid pid, Predicate<Registry.Entry<?>> filter, int[] removed);

  /* Removes exactly this entry, by identity; counts it in removed[0]. */
  abstract @Nullable Bucket removeEntry(Registry.Entry<?> entry, int[] removed);

  /* Appends the live entries to `out`. */
  abstract void collectLive(List<Registry.Entry<?>> out);

  abstract @Nullable Pid anyLive();

  static Bucket of(Registry.Entry<?> entry) {
    return new Small(new Registry.Entry<?>[] {entry});
  }

  static final class Small extends Bucket {
    private final Registry.Entry<?>[] entries;

    Small(Registry.Entry<?>[] entries) {
      this.entries = entries;
    }

    @Override
    Bucket add(Registry.Entry<?> entry) {
      int n = entries.length;
      if (n >= SMALL_MAX) {
        Large large = new Large();
        for (Registry.Entry<?> e : entries) {
          large.put(e);
        }
        large.put(entry);
        return large;
      }
      Registry.Entry<?>[] copy = Arrays.copyOf(entries, n + 1);
      copy[n] = entry;
      return new Small(copy);
    }

    @Override
    @Nullable Bucket remove(Pid pid, Predicate<Registry.Entry<?>> filter, int[] removed) {
      int keep = 0;
      Registry.Entry<?>[] kept = new Registry.Entry<?>[entries.length];
      for (Registry.Entry<?> e : entries) {
        if (e.pid() == pid && filter.test(e)) {
          removed[0]++;
        } else {
          kept[keep++] = e;
        }
      }
      if (keep == entries.length) {
        return this;
      }
      return keep == 0 ? null : new Small(Arrays.copyOf(kept, keep));
    }

    @Override
    @Nullable Bucket removeEntry(Registry.Entry<?> entry, int[] removed) {
      for (int i = 0; i < entries.length; i++) {
        if (entries[i] == entry) {
          removed[0]++;
          if (entries.length == 1) {
            return null;
          }
          Registry.Entry<?>[] copy = new Registry.Entry<?>[entries.length - 1];
          System.arraycopy(entries, 0, copy, 0, i);
          System.arraycopy(entries, i + 1, copy, i, entries.length - i - 1);
          return new Small(copy);
        }
      }
      return this;
    }

    @Override
    void collectLive(List<Registry.Entry<?>> out) {
      for (Registry.Entry<?> e : entries) {
        if (e.pid().isAlive()) {
          out.add(e);
        }
      }
    }

    @Override
    @Nullable Pid anyLive() {
      for (Registry.Entry<?> e : entries) {
        if (e.pid().isAlive()) {
          return e.pid();
        }
      }
      return null;
    }
  }

  static final class Large extends Bucket {
    private final ConcurrentHashMap<Pid, Registry.Entry<?>[]> byPid = new ConcurrentHashMap<>();

    private void put(Registry.Entry<?> entry) {
      Registry.Entry<?>[] old = byPid.get(entry.pid());
      if (old == null) {
        byPid.put(entry.pid(), new Registry.Entry<?>[] {entry});
      } else {
        Registry.Entry<?>[] copy = Arrays.copyOf(old, old.length + 1);
        copy[old.length] = entry;
        byPid.put(entry.pid(), copy);
      }
    }

    @Override
    Bucket add(Registry.Entry<?> entry) {
      put(entry);
      return this;
    }

    @Override
    @Nullable Bucket remove(Pid pid, Predicate<Registry.Entry<?>> filter, int[] removed) {
      Registry.Entry<?>[] old = byPid.get(pid);
      if (old == null) {
        return this;
      }
      int keep = 0;
      Registry.Entry<?>[] kept = new Registry.Entry<?>[old.length];
      for (Registry.Entry<?> e : old) {
        if (filter.test(e)) {
          removed[0]++;
        } else {
          kept[keep++] = e;
        }
      }
      if (keep == 0) {
        byPid.remove(pid);
      } else if (keep < old.length) {
        byPid.put(pid, Arrays.copyOf(kept, keep));
      }
      return byPid.isEmpty() ? null : this;
    }

    @Override
    @Nullable Bucket removeEntry(Registry.Entry<?> entry, int[] removed) {
      return remove(entry.pid(), e -> e == entry, removed);
    }

    @Override
    void collectLive(List<Registry.Entry<?>> out) {
      for (Registry.Entry<?>[] es : byPid.values()) {
        if (es[0].pid().isAlive()) {
          out.addAll(Arrays.asList(es));
        }
      }
    }

    @Override
    @Nullable Pid anyLive() {
      for (Pid pid : byPid.keySet()) {
        if (pid.isAlive()) {
          return pid;
        }
      }
      return null;
    }
  }

  static List<Registry.Entry<?>> live(@Nullable Bucket bucket) {
    if (bucket == null) {
      return List.of();
    }
    ArrayList<Registry.Entry<?>> out = new ArrayList<>();
    bucket.collectLive(out);
    return out;
  }
}

package dev.supervision.core.supervisor;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The live supervisors of a node, for introspection: every supervisor adds itself when it starts
 * and is removed when it exits. Roots are those whose parent is not a supervisor.
 */
public final class SupervisorDirectory {

  /**
   * One live supervisor.
   *
   * @param name its name
   * @param pid its process
   * @param parent the process that started it linked (its supervisor), or null
   * @param dynamic whether it is a dynamic supervisor
   */
  public record Entry(String name, Pid pid, @Nullable Pid parent, boolean dynamic) {}

  private final ConcurrentHashMap<Pid, Entry> entries = new ConcurrentHashMap<>();

  private SupervisorDirectory() {}

  /** The directory of {@code node}. */
  public static SupervisorDirectory of(Node node) {
    return node.extension(SupervisorDirectory.class, n -> new SupervisorDirectory());
  }

  void add(Entry entry) {
    entries.put(entry.pid(), entry);
  }

  void remove(Pid pid) {
    entries.remove(pid);
  }

  /** Every live supervisor, oldest first. */
  public List<Entry> supervisors() {
    List<Entry> list = new ArrayList<>(entries.values());
    list.sort(Comparator.comparingLong(e -> e.pid().id()));
    return list;
  }

  /** Live supervisors whose parent is not a live supervisor, oldest first. */
  public List<Entry> roots() {
    List<Entry> roots = new ArrayList<>();
    for (Entry e : supervisors()) {
      Pid parent = e.parent();
      if (parent == null || !entries.containsKey(parent)) {
        roots.add(e);
      }
    }
    return roots;
  }

  /** The live supervisor named {@code name}, if exactly one has that name. */
  public @Nullable Entry find(String name) {
    Entry found = null;
    for (Entry e : entries.values()) {
      if (e.name().equals(name)) {
        if (found != null) {
          return null;
        }
        found = e;
      }
    }
    return found;
  }
}

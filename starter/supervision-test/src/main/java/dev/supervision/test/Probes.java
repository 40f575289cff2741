package dev.supervision.test;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/*
 * The probes spawned on a node (a node extension), which NodeExtension does not count as processes
 * a test left running: they are the kit's, and closing the node ends them.
 */
final class Probes {
  private final Set<Pid> pids = ConcurrentHashMap.newKeySet();

  static Probes of(Node node) {
    return node.extension(Probes.class, n -> new Probes());
  }

  void add(Pid pid) {
    pids.add(pid);
  }

  boolean contains(Pid pid) {
    return pids.contains(pid);
  }
}

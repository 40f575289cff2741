package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reading a supervisor's children in tests. */
final class Trees {
  private Trees() {}

  /** The pid of child {@code id}, or null if it is not running. */
  static @Nullable Pid pidOf(Pid supervisor, String id) {
    return info(supervisor, id).pid();
  }

  /** Child {@code id}'s entry; fails if there is none. */
  static ChildInfo info(Pid supervisor, String id) {
    return Supervisor.whichChildren(supervisor).stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no child " + id + " in " + supervisor));
  }

  /** The ids of the children, in start order. */
  static List<String> ids(Pid supervisor) {
    return Supervisor.whichChildren(supervisor).stream().map(ChildInfo::id).toList();
  }

  /** The pids of the children, in start order (null for those not running). */
  static List<@Nullable Pid> pids(Pid supervisor) {
    return Supervisor.whichChildren(supervisor).stream().map(ChildInfo::pid).toList();
  }
}

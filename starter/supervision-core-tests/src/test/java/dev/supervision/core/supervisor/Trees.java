package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reading a supervisor's children in tests. */
final class Trees {
  private Trees() {}

  /** The pid of child {@code id}, or null if it is not running. */
  static @Nullable Pid pidOf(SupervisorHandle supervisor, String id) {
    return info(supervisor, id).pid();
  }

  /** A handle on child {@code id}, a static supervisor; fails if it is not running. */
  static SupervisorRef supervisorOf(SupervisorHandle supervisor, String id) {
    Pid pid = pidOf(supervisor, id);
    if (pid == null) {
      throw new AssertionError("child " + id + " of " + supervisor + " is not running");
    }
    return SupervisorRef.of(pid);
  }

  /** Child {@code id}'s entry; fails if there is none. */
  static ChildInfo info(SupervisorHandle supervisor, String id) {
    return supervisor.whichChildren().stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no child " + id + " in " + supervisor));
  }

  /** The ids of the children, in start order. */
  static List<String> ids(SupervisorHandle supervisor) {
    return supervisor.whichChildren().stream().map(ChildInfo::id).toList();
  }

  /** The pids of the children, in start order (null for those not running). */
  static List<@Nullable Pid> pids(SupervisorHandle supervisor) {
    return supervisor.whichChildren().stream().map(ChildInfo::pid).toList();
  }
}

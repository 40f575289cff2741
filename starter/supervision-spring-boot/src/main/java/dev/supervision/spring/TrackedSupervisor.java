package dev.supervision.spring;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.Pid;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/*
 * The address of a configured supervisor: the pid its latest start returned. The tree's start
 * functions record every new pid here (in the parent supervisor's process), so the handles made
 * over this address follow the supervisor across restarts by its own parent. Not a registered
 * name: a supervisor of the tree has no name in any registry, and this costs one volatile read.
 */
final class TrackedSupervisor implements Address {
  private final String name;
  private volatile @Nullable Pid pid;

  TrackedSupervisor(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  String name() {
    return name;
  }

  /* Called from the start function of the supervisor, in its parent's process. */
  void track(Pid pid) {
    this.pid = pid;
  }

  @Override
  public @Nullable Pid whereis() {
    Pid p = pid;
    return p != null && p.isAlive() ? p : null;
  }

  @Override
  public String toString() {
    return "supervisor '" + name + "' (" + pid + ")";
  }
}

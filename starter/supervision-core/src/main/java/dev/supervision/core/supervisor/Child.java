package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;
import org.jspecify.annotations.Nullable;

/* A supervisor's record of one child. Owned by the supervisor's process; never shared. */
final class Child {
  final ChildSpec spec;
  @Nullable Pid pid;
  ChildState state = ChildState.STOPPED;
  int restarts;
  ChildInfo.@Nullable Failure lastFailure;

  Child(ChildSpec spec) {
    this.spec = spec;
  }

  String id() {
    return spec.id();
  }

  ChildInfo info() {
    return new ChildInfo(
        spec.id(), pid, state, spec.type(), spec.restart(), spec.shutdown(), restarts, lastFailure);
  }
}

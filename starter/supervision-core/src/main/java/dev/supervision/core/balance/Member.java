package dev.supervision.core.balance;

import dev.supervision.core.process.Pid;
import java.util.concurrent.atomic.LongAdder;

/* One healthy worker in a balancer's snapshot: its process and the counter of its slot. */
final class Member {
  static final Member[] NONE = new Member[0];

  final Pid pid;
  final LongAdder dispatches;

  Member(Pid pid, LongAdder dispatches) {
    this.pid = pid;
    this.dispatches = dispatches;
  }
}

package dev.supervision.hazelcast;

import java.io.Serializable;
import java.util.Comparator;

/*
 * A name's entry in the cluster map: who holds it and since when (cluster time, ms). When two
 * holders of one name meet after a partition heals, the earlier registration keeps it, ties broken
 * by member uuid and pid: every member applies the same rule, so they agree on the winner.
 */
record Registration(GlobalPid holder, long registeredAt) implements Serializable {
  static final Comparator<Registration> PRECEDENCE =
      Comparator.comparingLong(Registration::registeredAt)
          .thenComparing(r -> r.holder().member())
          .thenComparingLong(r -> r.holder().id());

  boolean precedes(Registration other) {
    return PRECEDENCE.compare(this, other) < 0;
  }
}

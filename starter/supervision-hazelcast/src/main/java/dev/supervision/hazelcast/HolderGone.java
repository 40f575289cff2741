package dev.supervision.hazelcast;

import com.hazelcast.query.Predicate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/* Entries whose holder's member is not among `members`: run on the partition owners. */
record HolderGone(Set<UUID> members) implements Predicate<String, Registration> {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean apply(Map.Entry<String, Registration> entry) {
    return !members.contains(entry.getValue().holder().member());
  }
}

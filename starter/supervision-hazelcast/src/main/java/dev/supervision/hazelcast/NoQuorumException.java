package dev.supervision.hazelcast;

/**
 * This side of the cluster has fewer members than the minimum size (split-brain protection), so it
 * refuses to register names: the other side of a partition may be the one that holds them.
 */
public final class NoQuorumException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final int members;
  private final int minimumSize;

  NoQuorumException(String operation, int members, int minimumSize) {
    super(
        operation
            + " refused: this side of the cluster has "
            + members
            + " member(s), fewer than the minimum size "
            + minimumSize);
    this.members = members;
    this.minimumSize = minimumSize;
  }

  /** How many members this side had. */
  public int members() {
    return members;
  }

  /** The minimum size it needed. */
  public int minimumSize() {
    return minimumSize;
  }
}

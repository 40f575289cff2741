package dev.supervision.hazelcast;

/**
 * A call by key reached a member that neither runs the key's child nor owns the key any more: the
 * key's placement changed while the call was on its way (a member joined or left, and its partition
 * moved). Nothing was delivered, so the call may be made again; {@link ShardedChildren} already
 * resends it once, to the owner it sees then, before failing with this. Retriable.
 */
public final class KeyMovedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  KeyMovedException(String member) {
    super(
        "the key's child was not on member "
            + member
            + " and the key has moved: its placement changed during the call; retry");
  }
}

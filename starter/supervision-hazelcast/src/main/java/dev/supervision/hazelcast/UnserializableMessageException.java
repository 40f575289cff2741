package dev.supervision.hazelcast;

/**
 * A message (or a reply) for a process on another member could not be serialized: one of the
 * objects it holds does not implement {@link java.io.Serializable}, is of a class the cluster's
 * allow-list does not admit ({@link ClusterOptions#allowedClasses()}), or cannot leave its member
 * (a local name, or a reply target of another call). Thrown at the sender, by the {@code call} or
 * {@code cast}; nothing was sent.
 */
public final class UnserializableMessageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  UnserializableMessageException(String message, Throwable cause) {
    super(message, cause);
  }

  UnserializableMessageException(String message) {
    super(message);
  }
}

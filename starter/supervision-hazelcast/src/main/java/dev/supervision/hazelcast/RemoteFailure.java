package dev.supervision.hazelcast;

/**
 * A throwable from another member that could not be sent as is (its class is not serializable, or
 * not in the allow-list): its class name and message, for a crashed server's exit reason or a call
 * that failed over there.
 */
public final class RemoteFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String className;
  private final String originalMessage;

  RemoteFailure(String className, String message) {
    super(className + ": " + message);
    this.className = className;
    this.originalMessage = message;
  }

  /** The class of the original throwable. */
  public String className() {
    return className;
  }

  /** The message of the original throwable ({@code "null"} if it had none). */
  public String originalMessage() {
    return originalMessage;
  }
}

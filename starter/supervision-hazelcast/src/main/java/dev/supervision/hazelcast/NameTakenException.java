package dev.supervision.hazelcast;

/**
 * A cluster-wide name is already held by a live process on another member (a holder on this member
 * is reported as OTP's {@code already_started}, with its pid).
 */
public final class NameTakenException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final String name;
  private final GlobalPid holder;

  NameTakenException(String name, GlobalPid holder) {
    super("cluster name '" + name + "' is already held by " + holder);
    this.name = name;
    this.holder = holder;
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The process that holds it. */
  public GlobalPid holder() {
    return holder;
  }
}

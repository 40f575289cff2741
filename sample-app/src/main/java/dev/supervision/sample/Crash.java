package dev.supervision.sample;

/**
 * The failure a server raises on purpose when asked to crash (the crash endpoints), so that its
 * supervisor restarts it. Shown as the reason of the child's last failure.
 */
public final class Crash extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A crash of {@code what}, requested through the API. */
  public Crash(String what) {
    super(what + " crashed on request");
  }
}

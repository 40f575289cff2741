package dev.supervision.core.internal;

/**
 * The ceiling of the runtime's spins before parking, read once from the system property {@code
 * dev.supervision.spinNanos} (default 16384 ns; 0 or less turns spinning off). A process spinning
 * in receive and a caller spinning for its reply both take it from here.
 */
public final class Spin {
  /** The longest spin before parking, in nanoseconds; 0 for none. */
  public static final long NANOS = Math.max(0L, Long.getLong("dev.supervision.spinNanos", 16_384L));

  private Spin() {}
}

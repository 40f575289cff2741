package dev.supervision.core.internal;

/**
 * The ceilings of the runtime's spins before parking, all derived from the system property {@code
 * dev.supervision.spinNanos} (default 16384 ns; 0 or less turns spinning off), read once: a process
 * spins in receive for at most {@link #NANOS}, a supervisor for a quarter of it, and a caller waits
 * for its reply spinning for up to four times it.
 */
public final class Spin {
  /** The longest receive spin before parking, in nanoseconds; 0 for none. */
  public static final long NANOS = Math.max(0L, Long.getLong("dev.supervision.spinNanos", 16_384L));

  /**
   * The ceiling of a supervisor's receive spin. A supervisor that spins after restarting a child
   * keeps one of the carriers from the replacement it has just started and from the caller waiting
   * for it: on two cores a 16 us spin made the restart latency's p50 half as long again and its p99
   * a quarter longer than a 4 us one (src/docs/benchmarks.md, sixth round).
   */
  public static final long BRIEF_NANOS = NANOS / 4;

  /**
   * The ceiling of a caller's spin for its reply. Longer than a receive spin: a wake-up costs the
   * waker 5-45 us on a virtualised host, and a caller that parked sooner cost every call of a busy
   * server one (src/docs/benchmarks.md, fifth and sixth rounds).
   */
  public static final long CALL_NANOS = NANOS * 4;

  /**
   * A process body, or the server a process runs, that sets its own ceiling for the receive spin.
   * Read once, when the process is created.
   */
  public interface Bounded {
    /** The longest receive spin, in nanoseconds; at most {@link #NANOS}. */
    long spinNanos();
  }

  /**
   * A pid that tells its sender how the message was queued: whether it woke the process and whether
   * other messages were waiting ahead of it. A caller behind other messages waits for its reply
   * without spinning long, as does a virtual-thread caller that had to wake the server: the server
   * will not take the call soon, and the caller's spin would keep a carrier from it.
   */
  public interface Delivery {
    /** deliver's bit: the send woke the process, which was parked or about to park. */
    int WOKE = 1;

    /** deliver's bit: other messages were waiting ahead of this one (read racily: a hint). */
    int BEHIND = 2;

    /** Sends as {@code Pid.send} does; returns {@link #WOKE} and {@link #BEHIND} bits. */
    int deliver(Object message);
  }

  private Spin() {}
}

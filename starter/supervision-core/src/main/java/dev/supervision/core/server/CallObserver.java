package dev.supervision.core.server;

/**
 * Sees the outcome and duration of every {@link ServerRef#call} made to servers of a node; the
 * Spring layer turns it into the {@code supervision.calls} timer. Runs on the calling thread: keep
 * it cheap. Install with {@link GenServer#observeCalls}.
 */
@FunctionalInterface
public interface CallObserver {

  /** Call outcomes, as metric tag values. */
  enum Outcome {
    OK,
    TIMEOUT,
    NOPROC,
    EXITED,
    CALLING_SELF,
    INTERRUPTED,
    NODEDOWN
  }

  /**
   * Records one call.
   *
   * @param server the server's label
   * @param outcome how the call ended
   * @param nanos how long it took
   */
  void called(String server, Outcome outcome, long nanos);
}

package dev.supervision.core.supervisor;

/**
 * Whether a static supervisor shuts itself down when its significant children end (OTP 24's {@code
 * auto_shutdown}); see {@link ChildSpec#significant()}.
 *
 * <table>
 *   <caption>What makes the supervisor shut down</caption>
 *   <tr><th>Value</th><th>Shuts down when</th></tr>
 *   <tr><td>{@link #NEVER}</td><td>never; significant children are rejected</td></tr>
 *   <tr><td>{@link #ANY_SIGNIFICANT}</td><td>any significant child ends and is not restarted (a
 *   transient child with a normal or shutdown reason, a temporary child with any reason)</td></tr>
 *   <tr><td>{@link #ALL_SIGNIFICANT}</td><td>the same, for the last significant child still
 *   running</td></tr>
 * </table>
 *
 * <p>The supervisor then stops all its children in reverse start order and exits with {@code
 * shutdown}, which its own supervisor sees as it would any exit. Not a trigger: a significant child
 * stopped with {@code terminateChild}, or terminated as a bystander of a one-for-all or
 * rest-for-one restart; a transient significant child that crashes is simply restarted. Dynamic
 * supervisors have no auto-shutdown and refuse significant children, as in Elixir.
 */
public enum AutoShutdown {
  /** Never shuts down by itself (the default). */
  NEVER,
  /** Shuts down when any significant child ends without being restarted. */
  ANY_SIGNIFICANT,
  /** Shuts down when the last running significant child ends without being restarted. */
  ALL_SIGNIFICANT
}

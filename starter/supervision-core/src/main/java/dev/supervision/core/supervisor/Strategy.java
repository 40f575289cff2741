package dev.supervision.core.supervisor;

/**
 * Which children a supervisor restarts when one of them exits and must be restarted.
 *
 * <table>
 *   <caption>Strategy and which siblings restart</caption>
 *   <tr><th>Strategy</th><th>The exited child</th><th>Children started before it</th>
 *   <th>Children started after it</th></tr>
 *   <tr><td>{@link #ONE_FOR_ONE}</td><td>restarted</td><td>untouched</td><td>untouched</td></tr>
 *   <tr><td>{@link #ONE_FOR_ALL}</td><td>restarted</td><td>terminated, restarted</td>
 *   <td>terminated, restarted</td></tr>
 *   <tr><td>{@link #REST_FOR_ONE}</td><td>restarted</td><td>untouched</td><td>terminated,
 *   restarted</td></tr>
 * </table>
 *
 * <p>Siblings are terminated in reverse start order, each by its own shutdown, then everything is
 * started again in start order. Temporary siblings terminated this way are dropped, not restarted
 * (as in OTP).
 */
public enum Strategy {
  /** Only the exited child is restarted. */
  ONE_FOR_ONE,
  /** Every child is terminated and restarted. */
  ONE_FOR_ALL,
  /** The exited child and those started after it are terminated and restarted. */
  REST_FOR_ONE
}

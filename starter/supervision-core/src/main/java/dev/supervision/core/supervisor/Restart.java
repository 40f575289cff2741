package dev.supervision.core.supervisor;

import dev.supervision.core.process.ExitReason;

/**
 * When a child is restarted after it exits.
 *
 * <table>
 *   <caption>Restart type and exit reason</caption>
 *   <tr><th></th><th>normal</th><th>shutdown</th><th>killed</th><th>crashed</th></tr>
 *   <tr><td>{@link #PERMANENT}</td><td>restart</td><td>restart</td><td>restart</td>
 *   <td>restart</td></tr>
 *   <tr><td>{@link #TRANSIENT}</td><td>-</td><td>-</td><td>restart</td><td>restart</td></tr>
 *   <tr><td>{@link #TEMPORARY}</td><td>-</td><td>-</td><td>-</td><td>-</td></tr>
 * </table>
 *
 * <p>A transient child that is not restarted keeps its spec (it can be restarted with {@code
 * restartChild}); a temporary child's spec is deleted when it exits, whatever the reason. A child
 * stopped with {@code terminateChild} is never restarted automatically. Default: {@link
 * #PERMANENT}.
 */
public enum Restart {
  /** Always restarted. */
  PERMANENT,
  /** Restarted only after an abnormal exit (not normal, not shutdown). */
  TRANSIENT,
  /** Never restarted. */
  TEMPORARY;

  /** Whether a child of this type that exited with {@code reason} is restarted. */
  public boolean restartsAfter(ExitReason reason) {
    return switch (this) {
      case PERMANENT -> true;
      case TRANSIENT -> !reason.isClean();
      case TEMPORARY -> false;
    };
  }
}

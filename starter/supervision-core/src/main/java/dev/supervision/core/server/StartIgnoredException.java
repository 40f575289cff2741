package dev.supervision.core.server;

/**
 * A start ended in <em>ignore</em> (OTP's {@code :ignore}): the server's {@code init} called {@link
 * ServerContext#ignore()}. It is not a failure: the process exited {@code normal} without running
 * {@code terminate}, its name (if any) is free again, and nothing was left linked to the caller.
 *
 * <p>Thrown by {@link GenServer#start} and {@link GenServer#startLink} where OTP's {@code
 * start_link} returns {@code :ignore}, and by the supervisor calls that start a child where OTP
 * returns {@code {ok, undefined}} or {@code :ignore}. A supervisor's start function that lets it
 * through (or throws one itself) tells the supervisor the child is ignored:
 *
 * <table>
 *   <caption>A start function that ends in ignore</caption>
 *   <tr><th>Where</th><th>What the supervisor keeps</th></tr>
 *   <tr><td>static supervisor, permanent or transient child (at start, {@code startChild},
 *   {@code restartChild} or an automatic restart)</td><td>the spec, with no process (state {@code
 *   STOPPED}); {@code restartChild} may start it later</td></tr>
 *   <tr><td>static supervisor, temporary child</td><td>nothing: the spec is dropped</td></tr>
 *   <tr><td>dynamic supervisor, {@code startChild}</td><td>nothing</td></tr>
 *   <tr><td>dynamic supervisor, automatic restart</td><td>nothing: the child is removed</td></tr>
 * </table>
 */
public final class StartIgnoredException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An ignored start, described by {@code message}. */
  public StartIgnoredException(String message) {
    super(message);
  }
}

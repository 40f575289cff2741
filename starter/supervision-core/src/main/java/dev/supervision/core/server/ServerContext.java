package dev.supervision.core.server;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;

/** What a server can do besides handling messages. Use it only on the server's own thread. */
public interface ServerContext {

  /** The server's pid. */
  Pid self();

  /** The underlying process, to trap exits, link, monitor or spawn. */
  ProcessContext process();

  /**
   * Stops the server after the current callback returns: {@link Server#terminate} runs, then the
   * process exits with {@code reason}. Calls still queued fail with {@link
   * CallException.ServerExited}.
   */
  void stop(ExitReason reason);

  /**
   * Answers {@link Server#init} with <em>ignore</em> (OTP's {@code :ignore}): once {@code init}
   * returns, the process exits {@code normal} without running {@link Server#terminate}, and the
   * start throws {@link StartIgnoredException} instead of returning a pid. A supervisor that
   * started the server keeps or drops the child as {@link StartIgnoredException} tabulates. Of
   * {@code ignore} and {@link #stop}, the one called last in {@code init} decides; a throw from
   * {@code init} overrides both.
   *
   * @throws IllegalStateException if called outside {@code init}
   */
  void ignore();
}

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
}

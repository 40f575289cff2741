package dev.supervision.core.process;

import org.jspecify.annotations.Nullable;

/**
 * The code a process runs. The process exits with {@link ExitReason.Normal} when it returns and
 * with {@link ExitReason.Crashed} when it throws.
 *
 * {@snippet :
 * Pid echo = node.spawn(self -> {
 *   while (true) {
 *     if (self.receive() instanceof Ping(Pid replyTo)) {
 *       replyTo.send("pong");
 *     }
 *   }
 * });
 * }
 */
@FunctionalInterface
public interface ProcessBody {

  /**
   * Runs the process.
   *
   * @param self the running process's own context; valid only on the process's thread
   * @throws Exception anything; it becomes the {@link ExitReason.Crashed} exit reason
   */
  void run(ProcessContext self) throws Exception;

  /**
   * The name this body registered its process under, if any: what {@link Pid#registeredName()}
   * answers. A server started with a name answers it once it holds the name; default none.
   */
  default @Nullable Name registeredName() {
    return null;
  }
}

package dev.supervision.core.process;

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
}

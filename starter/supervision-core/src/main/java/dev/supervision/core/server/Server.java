package dev.supervision.core.server;

import dev.supervision.core.process.ExitReason;

/**
 * The callbacks of a server process (OTP's GenServer). The object itself is the server's state:
 * every start, and every restart by a supervisor, uses a fresh instance, so state never survives a
 * crash. All callbacks run on the server's own thread, one message at a time, so the object needs
 * no synchronisation.
 *
 * {@snippet :
 * final class Counter implements Server {
 *   sealed interface Message {}
 *   enum Increment implements Message { INSTANCE }
 *   enum Get implements Message { INSTANCE }
 *
 *   private long value;
 *
 *   @Override
 *   public void handleCast(Object message) {
 *     if (message == Increment.INSTANCE) {
 *       value++;
 *     }
 *   }
 *
 *   @Override
 *   public void handleCall(Object request, ReplyTo replyTo) {
 *     if (request == Get.INSTANCE) {
 *       replyTo.reply(value);
 *     }
 *   }
 * }
 *
 * Pid counter = GenServer.start(node, Counter::new);
 * GenServer.cast(counter, Counter.Increment.INSTANCE);
 * long value = GenServer.call(counter, Counter.Get.INSTANCE);
 * }
 *
 * <table>
 *   <caption>What ends a server, and whether {@link #terminate} runs</caption>
 *   <tr><th>Cause</th><th>Exit reason</th><th>{@code terminate} runs</th></tr>
 *   <tr><td>a callback throws</td><td>{@link ExitReason.Crashed}</td><td>yes</td></tr>
 *   <tr><td>{@link ServerContext#stop(ExitReason)} or {@link GenServer#stop}</td><td>the given
 *   reason</td><td>yes</td></tr>
 *   <tr><td>exit signal from the parent (e.g. supervisor shutdown) while trapping exits</td>
 *   <td>the signal's reason</td><td>yes</td></tr>
 *   <tr><td>exit signal while not trapping exits, or a kill</td><td>the signal's reason, or
 *   {@link ExitReason.Killed}</td><td>no</td></tr>
 *   <tr><td>{@link #init} throws</td><td>{@link ExitReason.Crashed}; the start fails</td>
 *   <td>no</td></tr>
 * </table>
 *
 * <p>As in OTP, a server that must clean up when its supervisor shuts it down calls {@code
 * context.process().trapExits(true)} in {@link #init}.
 */
public interface Server {

  /**
   * Runs in the new process before the start returns to the caller. Throwing makes the start fail
   * with a {@link StartException} carrying the error; so does calling {@link
   * ServerContext#stop(ExitReason)}. Calling {@link ServerContext#ignore()} makes it end in {@link
   * StartIgnoredException} (OTP's {@code :ignore}).
   *
   * @param context this server's context, which may be kept in a field
   */
  default void init(ServerContext context) throws Exception {}

  /**
   * Handles a {@linkplain GenServer#call call}. Reply with {@code replyTo.reply(value)}, now or
   * later from another message (a deferred reply: keep {@code replyTo} and reply when ready). The
   * default throws, crashing the server, as OTP's default does.
   */
  default void handleCall(Object request, ReplyTo replyTo) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not handle calls; got " + request);
  }

  /**
   * Handles a {@linkplain GenServer#cast cast}. The default throws, crashing the server, as OTP's
   * default does.
   */
  default void handleCast(Object message) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not handle casts; got " + message);
  }

  /**
   * Runs right after a callback that called {@link ServerContext#continueWith} with {@code arg},
   * before any further message (OTP's {@code handle_continue}). The default throws, crashing the
   * server, as a missing {@code handle_continue} does in OTP.
   */
  default void handleContinue(Object arg) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not handle continues; got " + arg);
  }

  /**
   * Handles any other message: plain sends, {@link dev.supervision.core.process.Exit} messages
   * while trapping exits, {@link dev.supervision.core.process.Down} notices, and {@link
   * ServerContext.Timeout} after a {@linkplain ServerContext#timeoutAfter timeout}. The default
   * logs and ignores the message.
   */
  default void handleInfo(Object message) throws Exception {
    System.getLogger(Server.class.getName())
        .log(
            System.Logger.Level.WARNING,
            "{0} received unexpected message {1}",
            getClass().getName(),
            message);
  }

  /**
   * Runs when the server is about to exit (see the table above); exceptions thrown here are logged
   * and do not change the exit reason.
   */
  default void terminate(ExitReason reason) {}
}

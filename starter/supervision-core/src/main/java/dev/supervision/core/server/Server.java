package dev.supervision.core.server;

import dev.supervision.core.process.ExitReason;

/**
 * The callbacks of a server process (OTP's GenServer) over a typed protocol {@code M}. The object
 * itself is the server's state: every start, and every restart by a supervisor, uses a fresh
 * instance, so state never survives a crash. All callbacks run on the server's own thread, one
 * message at a time, so the object needs no synchronisation.
 *
 * <p>The protocol is a type, usually a {@code sealed interface} of records nested in the server. A
 * message that expects an answer is a <em>call</em>: it carries a {@link ReplyTo} typed by its
 * answer, which only the runtime can make, so javac checks both sides: {@link ServerRef#call}
 * returns that type without a cast, and the server cannot answer with another. A message without
 * one is a <em>cast</em>. {@link #handle} switches over the protocol exhaustively:
 *
 * {@snippet :
 * final class Counter implements Server<Counter.Message> {
 *   sealed interface Message {}
 *   record Increment(long by) implements Message {}
 *   record Get(ReplyTo<Long> replyTo) implements Message {}
 *
 *   private long value;
 *
 *   @Override
 *   public void handle(Message message) {
 *     switch (message) {
 *       case Increment(long by) -> value += by;
 *       case Get(var replyTo) -> replyTo.reply(value);
 *     }
 *   }
 * }
 * }
 *
 * <p>Started, cast to and called through its {@link ServerRef}:
 *
 * {@snippet :
 * ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
 * counter.cast(new Counter.Increment(2));
 * long value = counter.call(Counter.Get::new);
 * }
 *
 * <p>OTP's {@code handle_call} and {@code handle_cast} are the one {@link #handle}: a call is the
 * message that carries a {@code replyTo}. Everything outside the protocol — monitors' notices,
 * trapped exits, callback timeouts and raw {@linkplain dev.supervision.core.process.Pid#send sends}
 * — reaches {@link #handleInfo} as an {@link Info}.
 *
 * <table>
 *   <caption>What ends a server, and whether {@link #terminate} runs</caption>
 *   <tr><th>Cause</th><th>Exit reason</th><th>{@code terminate} runs</th></tr>
 *   <tr><td>a callback throws</td><td>{@link ExitReason.Crashed}</td><td>yes</td></tr>
 *   <tr><td>{@link ServerContext#stop(ExitReason)} or {@link ServerRef#stop}</td><td>the given
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
 *
 * @param <M> the protocol: the type of every message {@link #handle} takes
 */
public interface Server<M> {

  /**
   * Runs in the new process before the start returns to the caller. Throwing makes the start fail
   * with a {@link StartException} carrying the error; so does calling {@link
   * ServerContext#stop(ExitReason)}. Calling {@link ServerContext#ignore()} makes it end in {@link
   * StartIgnoredException} (OTP's {@code :ignore}).
   *
   * @param context this server's context, which may be kept in a field
   */
  default void init(ServerContext<M> context) throws Exception {}

  /**
   * Handles one message of the protocol: a {@linkplain ServerRef#call call} (the message carries
   * its {@link ReplyTo}) or a {@linkplain ServerRef#cast cast}. Answer a call with {@code
   * replyTo.reply(value)}, now or later from another message (a deferred reply: keep the {@code
   * replyTo} and reply when ready). Throwing crashes the server: callers waiting for a reply get
   * {@link CallException.ServerExited}.
   */
  void handle(M message) throws Exception;

  /**
   * Handles what is not in the protocol (OTP's {@code handle_info}): {@link Info.Down} notices of
   * the monitors this server set, {@link Info.Exit} signals while it traps exits, {@link
   * Info.Timeout} after a {@linkplain ServerContext#timeoutAfter timeout}, and {@link Info.Message}
   * for anything else sent to its pid. The default logs each kind of unexpected message once, at
   * WARNING, and ignores it, as OTP's default does: a stray message never crashes the server.
   */
  default void handleInfo(Info info) throws Exception {
    Info.logUnexpected(getClass(), info);
  }

  /**
   * Runs when the server is about to exit (see the table above); exceptions thrown here are logged
   * and do not change the exit reason.
   */
  default void terminate(ExitReason reason) {}
}

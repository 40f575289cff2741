package dev.supervision.core.server;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Pid;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What a server receives outside its protocol (OTP's {@code handle_info} messages), switched over
 * exhaustively in {@link Server#handleInfo}:
 *
 * {@snippet :
 * @Override
 * public void handleInfo(Info info) {
 *   switch (info) {
 *     case Info.Down(var ref, var pid, var reason) -> watched.remove(pid);
 *     case Info.Exit(var from, var reason) -> context.stop(reason);
 *     case Info.Timeout timeout -> flush();
 *     case Info.Message(var message) -> Info.logUnexpected(getClass(), info);
 *   }
 * }
 * }
 */
public sealed interface Info {

  /**
   * A monitored process exited (OTP's {@code {'DOWN', Ref, process, Pid, Reason}}), for a monitor
   * this server set with {@code context.process().monitor(pid)}.
   *
   * @param ref the monitor
   * @param pid the process that exited
   * @param reason why it exited
   */
  record Down(MonitorRef ref, Pid pid, ExitReason reason) implements Info {}

  /**
   * An exit signal, received as a message because the server traps exits (OTP's {@code {'EXIT',
   * From, Reason}}). The parent's signal is not one: it stops the server.
   *
   * @param from the process that exited or sent the signal; {@code null} when it came from outside
   *     any process
   * @param reason the signal's reason
   */
  record Exit(@Nullable Pid from, ExitReason reason) implements Info {}

  /**
   * A {@linkplain ServerContext#timeoutAfter callback timeout} expired (OTP's {@code :timeout}).
   */
  enum Timeout implements Info {
    /** The only instance. */
    INSTANCE
  }

  /**
   * Anything else that reached the server's mailbox: a raw {@linkplain Pid#send send}, or a message
   * outside the server's protocol sent through a {@link ServerRef} that was given the wrong
   * protocol (a cast is then dropped; a call gets no reply and times out).
   *
   * @param message what was sent
   */
  record Message(Object message) implements Info {}

  /**
   * Logs {@code info} at WARNING as unexpected for a server of class {@code server}, once per
   * server class and kind of message (the message's class for {@link Message}), so that a stream of
   * stray messages cannot flood the log.
   */
  static void logUnexpected(Class<?> server, Info info) {
    Class<?> kind = info instanceof Message m ? m.message().getClass() : info.getClass();
    if (Unexpected.firstTime(server, kind)) {
      System.getLogger(Server.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "{0} received an unexpected {1} and ignored it (logged once per kind): {2}",
              server.getName(),
              kind.getName(),
              info);
    }
  }
}

/* The (server class, message class) pairs already logged; bounded, then every pair is new again. */
final class Unexpected {
  private static final int LIMIT = 4_096;
  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  private Unexpected() {}

  static boolean firstTime(Class<?> server, Class<?> kind) {
    if (SEEN.size() >= LIMIT) {
      SEEN.clear();
    }
    return SEEN.add(server.getName() + '\u0000' + kind.getName());
  }
}

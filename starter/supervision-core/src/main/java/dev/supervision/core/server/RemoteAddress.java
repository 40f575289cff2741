package dev.supervision.core.server;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An address whose process may run on another node of a cluster: a cluster-wide process address or
 * name. A service provider interface: a cluster transport implements it, applications use it
 * through {@link ServerRef}, which calls and casts through it whenever {@link #whereis()} finds no
 * process on this node.
 *
 * {@snippet :
 * ServerRef<Counter.Message> counter = ServerRef.of(remoteAddress); // a call goes over the network
 * long value = counter.call(Counter.Get::new);
 * }
 *
 * <p>Implementations are thread-safe and never block waiting for the other node.
 */
public interface RemoteAddress extends Address {

  /**
   * The live process on <em>this</em> node that the address designates now; {@code null} when the
   * process runs on another node, or nowhere.
   */
  @Override
  @Nullable Pid whereis();

  /**
   * Sends a cast to the process wherever it runs (OTP's cast to a remote pid): never waits for the
   * other node, and drops the message when there is no such process or node.
   *
   * @throws RuntimeException a typed error of the transport when the message cannot be sent at all,
   *     for example because it cannot be serialized
   */
  void cast(Object message);

  /**
   * Sends a call's message, which carries {@link RemoteCall#replyTo()}, to the process wherever it
   * runs, and completes {@code call} later with its outcome: the reply, no process, the server's
   * exit, node down, or a failure. Returns without waiting; the caller waits up to {@code timeout}
   * and forgets the call after it.
   *
   * @throws RuntimeException a typed error of the transport when the message cannot be sent at all,
   *     for example because it cannot be serialized
   */
  void call(Object message, RemoteCall call, Duration timeout);
}

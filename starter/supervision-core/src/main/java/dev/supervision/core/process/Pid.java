package dev.supervision.core.process;

import java.util.Optional;

/**
 * The identity of a process: what you send messages to, link to and monitor.
 *
 * <p>A pid stays valid after its process has exited: sending to it then silently drops the message
 * (as in OTP), {@link #isAlive()} answers {@code false} and {@link #exitReason()} tells why it
 * ended. Two pids are equal only if they are the same process; a restarted child gets a new pid.
 *
 * <p>All methods are thread-safe and may be called from any thread, inside a process or not.
 */
public sealed interface Pid extends Address permits ProcessCell {

  /** A number unique among all processes of this JVM. */
  long id();

  /** The node this process runs on. */
  Node node();

  /** Whether the process is running: spawned and not yet exited. */
  boolean isAlive();

  /** The reason the process exited, or empty while it runs. */
  Optional<ExitReason> exitReason();

  /** Messages waiting in the mailbox, not counting those set aside by a selective receive. */
  int mailboxDepth();

  /** An optional label given at spawn, used in logs and introspection. */
  Optional<String> label();

  /**
   * The name the process registered under when it started (a server started with {@code
   * StartOptions.named}, for one), if any. Still answered after the process has exited, when the
   * name itself is free again, so that crash reports can say which process it was.
   */
  Optional<Name> registeredName();

  /**
   * Puts {@code message} at the end of this process's mailbox. Never blocks and never fails; a
   * message to a process that has exited is dropped.
   *
   * @throws NullPointerException if {@code message} is null
   */
  void send(Object message);

  /** This pid itself, if alive; otherwise {@code null}. */
  @Override
  default @org.jspecify.annotations.Nullable Pid whereis() {
    return isAlive() ? this : null;
  }
}

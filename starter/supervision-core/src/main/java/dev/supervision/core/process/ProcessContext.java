package dev.supervision.core.process;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What a running process can do to itself: receive, trap exits, link, monitor, spawn and exit.
 *
 * <p>Every method must be called on the process's own thread; calling one from another thread
 * throws {@link IllegalStateException}. Blocking methods ({@code receive}) end at once, by
 * unwinding the process, when the process is killed or exits because of a linked process.
 */
public sealed interface ProcessContext permits ProcessCell {

  /** The context of the process running on the current thread, if the thread is a process. */
  static Optional<ProcessContext> current() {
    return Optional.ofNullable(ProcessCell.current());
  }

  /** This process's pid. */
  Pid self();

  /** The node this process runs on. */
  Node node();

  /**
   * The next message, waiting as long as it takes. Messages set aside by a selective {@link
   * #receive(Predicate, Duration)} come first, in their arrival order.
   */
  Object receive();

  /**
   * The next message, or {@code null} if none arrives within {@code timeout}.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  @Nullable Object receive(Duration timeout);

  /**
   * The first message, in arrival order, that {@code match} accepts, or {@code null} if none
   * arrives within {@code timeout} (OTP's selective receive). Messages it skips stay in the
   * mailbox, in order, for later receives.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  @Nullable Object receive(Predicate<Object> match, Duration timeout);

  /**
   * Whether exit signals from linked processes arrive as {@link Exit} messages instead of ending
   * this process. A kill ({@link Node#kill(Pid)}) ends it regardless.
   */
  void trapExits(boolean trap);

  /**
   * Hands every message still waiting (those set aside by selective receives first) to {@code
   * sink}, emptying the mailbox. Meant for clean-up while a process exits: a server uses it to fail
   * the calls it will never answer. Works after the process has been killed, as long as it runs on
   * the process's thread.
   */
  void drainMailbox(java.util.function.Consumer<Object> sink);

  /** Whether this process traps exits. */
  boolean trapsExits();

  /**
   * Links this process and {@code other} both ways: when either exits, the other receives an exit
   * signal with the same reason. Linking to a process that has already exited sends this process an
   * exit signal with reason {@link ExitReason.NoProc} at once. Idempotent.
   */
  void link(Pid other);

  /** Removes the link to {@code other}, if any. Idempotent. */
  void unlink(Pid other);

  /**
   * Starts watching {@code other}: a {@link Down} message arrives when it exits (at once, with
   * {@link ExitReason.NoProc}, if it already has). Each call creates a separate monitor.
   */
  MonitorRef monitor(Pid other);

  /** Removes a monitor and drops its {@link Down} message if it already arrived. Idempotent. */
  void demonitor(MonitorRef ref);

  /** Spawns a new process on this node, not linked to this one. */
  Pid spawn(ProcessBody body);

  /** Spawns a new process on this node, linked to this one before it starts running. */
  Pid spawnLink(ProcessBody body);

  /** Spawns a process linked to this one, with a label for logs and introspection. */
  Pid spawnLink(String label, ProcessBody body);

  /**
   * Ends this process now with {@code reason}. Linked processes receive the exit signal and
   * monitors their {@link Down} notice. Never returns normally.
   */
  void exit(ExitReason reason);
}

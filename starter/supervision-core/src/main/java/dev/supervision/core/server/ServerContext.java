package dev.supervision.core.server;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.ProcessContext;
import java.time.Duration;

/**
 * What a server can do besides handling messages. Use it only on the server's own thread.
 *
 * @param <M> the server's protocol
 */
public interface ServerContext<M> {

  /** A handle on this server, to give to others (they call and cast it) or to cast to itself. */
  ServerRef<M> self();

  /** The underlying process, to trap exits, link, monitor or spawn. */
  ProcessContext process();

  /**
   * Stops the server after the current callback returns: {@link Server#terminate} runs, then the
   * process exits with {@code reason}. Calls still queued fail with {@link
   * CallException.ServerExited}.
   */
  void stop(ExitReason reason);

  /**
   * Runs {@code step} as soon as the current callback returns, before any further message (OTP's
   * {@code {:continue, arg}} and {@code handle_continue}). From {@code init}, it runs after the
   * start has returned to the caller: the way to do slow set-up without holding the starter (or a
   * supervisor starting its children). A step may ask for another, to chain steps. Asked twice in
   * one callback, the second replaces the first. If the callback also stops the server (or {@code
   * init} answers ignore), the step does not run. A step that throws crashes the server, as a
   * callback does.
   */
  void continueWith(Step step);

  /**
   * Asks for {@link Info.Timeout}, handled by {@link Server#handleInfo}, if no message arrives
   * within {@code timeout} after the current callback returns (OTP's callback timeout, {@code
   * {:noreply, state, timeout}}). It applies to that one wait only: the next callback cancels it
   * unless it asks again. A pending continue runs first and cancels it likewise.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  void timeoutAfter(Duration timeout);

  /**
   * Answers {@link Server#init} with <em>ignore</em> (OTP's {@code :ignore}): once {@code init}
   * returns, the process exits {@code normal} without running {@link Server#terminate}, and the
   * start throws {@link StartIgnoredException} instead of returning. A supervisor that started the
   * server keeps or drops the child as {@link StartIgnoredException} tabulates. Of {@code ignore}
   * and {@link #stop}, the one called last in {@code init} decides; a throw from {@code init}
   * overrides both.
   *
   * @throws IllegalStateException if called outside {@code init}
   */
  void ignore();

  /** A step of work run by {@link #continueWith}, on the server's thread. */
  @FunctionalInterface
  interface Step {
    /** Runs the step; throwing crashes the server. */
    void run() throws Exception;
  }
}

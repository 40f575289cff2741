package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;

/**
 * Starts one child. It runs in the supervisor's process and must start the child linked to it,
 * typically with {@code GenServer.startLink(...).pid()} or {@code Supervisor.startLink(...).pid()},
 * and return its pid. (If it returns an unlinked process, the supervisor links it.) Returning null
 * or throwing anything, an {@link Error} included, is a failed start, as in OTP; a {@link
 * VirtualMachineError} is not caught and crashes the supervisor. The exception is {@link
 * dev.supervision.core.server.StartIgnoredException}, which {@code GenServer.startLink} throws when
 * the server's {@code init} answers ignore: the child is then ignored (OTP's {@code ignore}), as
 * that exception's table describes.
 */
@FunctionalInterface
public interface ChildStart {

  /** Starts the child and returns its pid. */
  Pid start() throws Exception;
}

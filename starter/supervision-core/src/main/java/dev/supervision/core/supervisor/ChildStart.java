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

  /**
   * Starts one child of a dynamic supervisor with the supervisor's extra arguments (Elixir's {@code
   * extra_arguments}): the value given to {@link DynamicSupervisorSpec#withExtraArguments}, handed
   * to every start and restart of the child. Made into a spec by {@link ChildSpec#worker(String,
   * Class, WithArguments)}.
   *
   * @param <A> the type of the extra arguments it takes
   */
  @FunctionalInterface
  interface WithArguments<A> {

    /** Starts the child with {@code arguments} and returns its pid. */
    Pid start(A arguments) throws Exception;
  }
}

package dev.supervision.core.process;

/*
 * Unwinds a process's thread once the process has exited: after ProcessContext.exit, or when it
 * was killed or took down by a linked exit while it was running. Carries no stack trace: it is
 * control flow, not a failure. User code that catches Throwable must rethrow it.
 */
final class ProcessExitedError extends Error {
  private static final long serialVersionUID = 1L;

  ProcessExitedError() {
    super("process exited", null, false, false);
  }
}

package dev.supervision.core.process;

/**
 * Code that runs when a monitored process exits, on the thread that ends it, before linked
 * processes are signalled. Must be short and must not block; exceptions are logged and ignored.
 */
@FunctionalInterface
public interface ExitCallback {

  /** Called once with the pid that exited and its reason. */
  void exited(Pid pid, ExitReason reason);
}

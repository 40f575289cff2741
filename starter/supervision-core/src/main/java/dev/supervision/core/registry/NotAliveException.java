package dev.supervision.core.registry;

import dev.supervision.core.process.Pid;

/**
 * The process to register has exited (or exited while registering), so it cannot hold entries.
 * Nothing it tried to register stays in the registry.
 */
public final class NotAliveException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final transient Pid pid;

  NotAliveException(String registry, Pid pid) {
    super(registry, "process " + pid + " is not alive; it cannot register in '" + registry + "'");
    this.pid = pid;
  }

  /** The process that is not alive. */
  public Pid pid() {
    return pid;
  }
}

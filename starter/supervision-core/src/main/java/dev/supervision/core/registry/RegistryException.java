package dev.supervision.core.registry;

/**
 * A registration was refused. Each reason is its own subclass: {@link AlreadyRegisteredException}
 * (a unique key is held by a live process) and {@link NotAliveException} (the process to register
 * has exited).
 */
public abstract sealed class RegistryException extends RuntimeException
    permits AlreadyRegisteredException, NotAliveException {
  private static final long serialVersionUID = 1L;

  private final String registry;

  RegistryException(String registry, String message) {
    super(message);
    this.registry = registry;
  }

  /** The name of the registry that refused. */
  public String registry() {
    return registry;
  }
}

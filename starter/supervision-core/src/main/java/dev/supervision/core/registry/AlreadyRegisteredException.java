package dev.supervision.core.registry;

import dev.supervision.core.process.Pid;

/**
 * A unique key is already held by a live process, possibly the caller itself (Elixir's {@code
 * {:error, {:already_registered, pid}}}).
 */
public final class AlreadyRegisteredException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final transient Object key;
  private final transient Pid holder;

  AlreadyRegisteredException(String registry, Object key, Pid holder) {
    super(
        registry,
        "key '" + key + "' of registry '" + registry + "' is already registered to " + holder);
    this.key = key;
    this.holder = holder;
  }

  /** The key that is taken. */
  public Object key() {
    return key;
  }

  /** The live process holding the key. */
  public Pid holder() {
    return holder;
  }
}

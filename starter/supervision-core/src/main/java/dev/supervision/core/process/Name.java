package dev.supervision.core.process;

import java.util.Optional;

/**
 * An address that a process can register itself under, such as a unique registry key ("via" names).
 * A server started with a name registers under it from inside its own process, before its {@code
 * init} runs; the name is released when the process exits.
 */
public interface Name extends Address {

  /**
   * Registers {@code self}, which must be the calling process, under this name.
   *
   * @return empty on success; the live process holding the name otherwise
   */
  Optional<Pid> register(Pid self);
}

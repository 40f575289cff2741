package dev.supervision.core.registry;

/**
 * Whether a key of a {@link Registry} names one process or a group of processes (Elixir's {@code
 * :keys} option).
 *
 * <table>
 *   <caption>Key kinds</caption>
 *   <tr><th></th><th>{@code UNIQUE}</th><th>{@code DUPLICATE}</th></tr>
 *   <tr><td>entries per key</td><td>at most one live process</td><td>any number, the same
 *   process several times included</td></tr>
 *   <tr><td>registering a taken key</td><td>{@link AlreadyRegisteredException} with the
 *   holder</td><td>adds another entry</td></tr>
 *   <tr><td>{@link Registry#via(Object)} names</td><td>yes</td><td>{@link
 *   IllegalArgumentException}</td></tr>
 *   <tr><td>{@link Registry#updateValue}</td><td>yes, by the owner</td><td>{@link
 *   IllegalArgumentException}</td></tr>
 *   <tr><td>typical use</td><td>naming processes</td><td>pub-sub, process groups, load
 *   balancing</td></tr>
 * </table>
 */
public enum Keys {
  /** Each key is held by at most one live process. */
  UNIQUE,
  /** A key may be registered by any number of processes, each any number of times. */
  DUPLICATE
}

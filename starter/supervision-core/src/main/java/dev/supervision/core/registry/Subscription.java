package dev.supervision.core.registry;

/** A registration of a change callback made by {@link Registry#subscribe}; closing removes it. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Removes the callback. Idempotent. */
  @Override
  void close();
}

package dev.supervision.core.event;

/**
 * Receives every {@link SupervisionEvent} of a node. Called synchronously on the thread where the
 * event happened: return quickly and never block. Exceptions are logged and ignored; they cannot
 * disturb the runtime.
 */
@FunctionalInterface
public interface SupervisionListener {

  /** Handles one event. */
  void onEvent(SupervisionEvent event);
}

package dev.supervision.core.event;

import dev.supervision.core.process.Node;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listeners of one node. Obtain it with {@link #of(Node)}; add listeners before starting the
 * supervisors whose events they must not miss.
 *
 * {@snippet :
 * EventBus.of(node).subscribe(event -> log.info("{}", event));
 * }
 */
public final class EventBus {
  private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

  private final CopyOnWriteArrayList<SupervisionListener> listeners = new CopyOnWriteArrayList<>();

  private EventBus() {}

  /** The bus of {@code node}, created on first use. */
  public static EventBus of(Node node) {
    return node.extension(EventBus.class, n -> new EventBus());
  }

  /** Adds {@code listener}; returns a handle that removes it. */
  public AutoCloseable subscribe(SupervisionListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Removes {@code listener}; returns whether it was subscribed. */
  public boolean unsubscribe(SupervisionListener listener) {
    return listeners.remove(listener);
  }

  /** Whether anyone listens; publishers skip building events when nobody does. */
  public boolean hasListeners() {
    return !listeners.isEmpty();
  }

  /** Delivers {@code event} to every listener, in subscription order. */
  public void publish(SupervisionEvent event) {
    for (SupervisionListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "listener " + listener + " failed on " + event, e);
      }
    }
  }
}

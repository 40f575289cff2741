package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.fail;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.event.SupervisionListener;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Records every event of a node and lets a test wait for one. Waiting for the supervisor's {@code
 * ChildExited} of a pid is how tests know the supervisor is handling that exit: a call made after
 * it is answered only once the handling (restarts included) is over.
 */
final class EventRecorder implements SupervisionListener {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition added = lock.newCondition();
  private final List<SupervisionEvent> events = new ArrayList<>();

  private EventRecorder() {}

  static EventRecorder on(Node node) {
    EventRecorder recorder = new EventRecorder();
    EventBus.of(node).subscribe(recorder);
    return recorder;
  }

  @Override
  public void onEvent(SupervisionEvent event) {
    lock.lock();
    try {
      events.add(event);
      added.signalAll();
    } finally {
      lock.unlock();
    }
  }

  List<SupervisionEvent> events() {
    lock.lock();
    try {
      return List.copyOf(events);
    } finally {
      lock.unlock();
    }
  }

  /** Events of {@code type} published so far, in order. */
  <E extends SupervisionEvent> List<E> events(Class<E> type) {
    return events().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Waits for the first event, past or future, of {@code type} that {@code match} accepts. */
  <E extends SupervisionEvent> E await(Class<E> type, Predicate<? super E> match) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    lock.lock();
    try {
      int seen = 0;
      while (true) {
        for (; seen < events.size(); seen++) {
          SupervisionEvent event = events.get(seen);
          if (type.isInstance(event) && match.test(type.cast(event))) {
            return type.cast(event);
          }
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return fail(
              "no matching %s within %s; events: %s", type.getSimpleName(), TIMEOUT, events);
        }
        added.await(remaining, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      lock.unlock();
    }
  }

  /** Waits until a supervisor has started handling the exit of {@code child}. */
  SupervisionEvent.ChildExited awaitExit(Pid child) {
    return await(SupervisionEvent.ChildExited.class, e -> e.pid() == child);
  }
}

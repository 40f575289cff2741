package dev.supervision.test;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A process that records every message it receives, for tests: give its {@link #pid()} to the code
 * under test (as a reply target, a monitor owner, a linked process) and assert on what arrived.
 *
 * {@snippet :
 * TestProbe probe = TestProbe.spawn(node);
 * probe.trapExits();                        // record Exit messages instead of dying
 * server.send(new Subscribe(probe.pid()));
 * Event event = probe.expectMessage(Event.class, Duration.ofSeconds(1));
 * }
 *
 * <p>Expectations consume the messages they match, in arrival order; {@link #messages()} shows all
 * still unconsumed. Thread-safe.
 */
public final class TestProbe {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Object> messages = new ArrayList<>();
  private final Pid pid;

  private record TrapExits(CountDownLatch applied) {}

  private TestProbe(Node node, @Nullable String label) {
    this.pid =
        node.spawn(
            label == null ? "probe" : label,
            self -> {
              while (true) {
                Object message = self.receive();
                if (message instanceof TrapExits trap) {
                  self.trapExits(true);
                  trap.applied().countDown();
                } else {
                  record(message);
                }
              }
            });
    Probes.of(node).add(pid);
  }

  /** Spawns a probe on {@code node}. */
  public static TestProbe spawn(Node node) {
    return new TestProbe(node, null);
  }

  /** Spawns a probe with a label. */
  public static TestProbe spawn(Node node, String label) {
    return new TestProbe(node, label);
  }

  /** The probe's process. */
  public Pid pid() {
    return pid;
  }

  /**
   * Makes the probe trap exits, so that exit signals from processes linked to it are recorded as
   * {@link dev.supervision.core.process.Exit} messages. Returns once it is in effect.
   */
  public void trapExits() {
    CountDownLatch applied = new CountDownLatch(1);
    pid.send(new TrapExits(applied));
    try {
      if (!applied.await(5, TimeUnit.SECONDS)) {
        throw new AssertionError("probe " + pid + " did not start trapping exits");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private void record(Object message) {
    lock.lock();
    try {
      messages.add(message);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the first message of {@code type} and consumes it.
   *
   * @throws AssertionError if none arrives within {@code timeout}
   */
  public <T> T expectMessage(Class<T> type, Duration timeout) {
    return type.cast(expect(type::isInstance, timeout, "a " + type.getName()));
  }

  /**
   * Waits for the first message that {@code match} accepts and consumes it.
   *
   * @throws AssertionError if none arrives within {@code timeout}
   */
  public Object expectMessage(Predicate<Object> match, Duration timeout) {
    return expect(match, timeout, "a matching message");
  }

  private Object expect(Predicate<Object> match, Duration timeout, String what) {
    Objects.requireNonNull(match, "match");
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        for (int i = 0; i < messages.size(); i++) {
          if (match.test(messages.get(i))) {
            return messages.remove(i);
          }
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new AssertionError(
              "expected " + what + " within " + timeout + " but the probe has " + messages);
        }
        arrived.await(remaining, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for {@code duration} and checks that no message arrived: none was unconsumed when it
   * started and none came during it (Pekko's {@code expectNoMessage}). It always takes the whole
   * {@code duration}, so keep it short.
   *
   * @throws AssertionError naming the messages, if any arrived
   */
  public void expectNoMessage(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    lock.lock();
    try {
      while (messages.isEmpty()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return;
        }
        arrived.await(remaining, TimeUnit.NANOSECONDS);
      }
      throw new AssertionError(
          "expected no message for " + duration + " but the probe has " + messages);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while expecting no message", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code pid} has exited and returns its exit reason; at once, with the reason it
   * exited with, if it already has (Pekko's {@code expectTerminated}). It watches {@code pid} with
   * a node monitor, not from the probe's process, so it leaves nothing among the probe's messages.
   *
   * @throws AssertionError if {@code pid} is still alive after {@code timeout}
   */
  public ExitReason expectTerminated(Pid pid, Duration timeout) {
    return Exits.awaitExit(Objects.requireNonNull(pid, "pid"), timeout);
  }

  /** The messages received and not yet consumed, oldest first. */
  public List<Object> messages() {
    lock.lock();
    try {
      return List.copyOf(messages);
    } finally {
      lock.unlock();
    }
  }

  /** Kills the probe. */
  public void stop() {
    pid.node().kill(pid);
  }
}

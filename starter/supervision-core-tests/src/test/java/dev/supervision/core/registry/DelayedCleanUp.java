package dev.supervision.core.registry;

import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Pid;
import dev.supervision.test.Exits;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Holds a process, once killed, between "dead" and the registry's clean-up: an exit callback added
 * before the process registers runs first, on the killing thread, and waits here until {@link
 * #close()}. Lets a test look at a registry that still holds a dead process's entries.
 */
final class DelayedCleanUp implements AutoCloseable {
  private final Client client;
  private final CountDownLatch release = new CountDownLatch(1);
  private final MonitorRef callback;
  private Thread killer = Thread.ofVirtual().unstarted(() -> {});

  private DelayedCleanUp(Client client) {
    this.client = client;
    this.callback =
        client
            .pid()
            .node()
            .monitor(
                client.pid(),
                (pid, reason) -> {
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  /** Must be called before {@code client} makes its first registration. */
  static DelayedCleanUp of(Client client) {
    return new DelayedCleanUp(client);
  }

  /** Kills the client from another thread and returns once it is dead, its clean-up pending. */
  void kill() {
    Pid pid = client.pid();
    killer = Thread.ofVirtual().start(() -> pid.node().kill(pid));
    await().atMost(Client.TIMEOUT).until(() -> !pid.isAlive());
  }

  /** Lets the clean-up run and waits for the killing thread to finish. */
  @Override
  public void close() throws InterruptedException {
    release.countDown();
    killer.join(Client.TIMEOUT);
    client.pid().node().demonitor(callback);
    if (!client.pid().isAlive()) {
      Exits.awaitExit(client.pid(), Duration.ofSeconds(5));
    }
  }
}

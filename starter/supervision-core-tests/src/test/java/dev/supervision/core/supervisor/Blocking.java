package dev.supervision.core.supervisor;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * A server that traps exits and whose {@code terminate} takes time: it waits for {@link #release}
 * (forever if never released), or works for a fixed duration. It reports when terminate begins and
 * how it ended. It takes no messages (its protocol is {@code Void}).
 */
final class Blocking implements Server<Void> {
  final CountDownLatch release = new CountDownLatch(1);
  final CompletableFuture<ExitReason> terminateEntered = new CompletableFuture<>();
  final CompletableFuture<String> terminateOutcome = new CompletableFuture<>();
  private final Duration work;

  private Blocking(Duration work) {
    this.work = work;
  }

  /** Blocks in terminate until released (or interrupted by a kill). */
  static Blocking untilReleased() {
    return new Blocking(Duration.ZERO);
  }

  /** Spends {@code work} in terminate, as a slow clean-up would. */
  static Blocking working(Duration work) {
    return new Blocking(work);
  }

  ChildStart start() {
    return () -> GenServer.startLink(() -> this).pid();
  }

  @Override
  public void init(ServerContext<Void> context) {
    context.process().trapExits(true);
  }

  @Override
  public void handle(Void message) {}

  @Override
  public void terminate(ExitReason reason) {
    terminateEntered.complete(reason);
    if (!work.isZero()) {
      long deadline = System.nanoTime() + work.toNanos();
      long left;
      while ((left = deadline - System.nanoTime()) > 0) {
        LockSupport.parkNanos(left); // simulated clean-up work, not synchronisation
      }
      terminateOutcome.complete("finished");
      return;
    }
    try {
      release.await();
      terminateOutcome.complete("released");
    } catch (InterruptedException e) {
      terminateOutcome.complete("interrupted");
      Thread.currentThread().interrupt();
    }
  }
}

package dev.supervision.core.supervisor;

import java.util.concurrent.CompletableFuture;

/** Runs a blocking call on its own virtual thread, which ends with the call (no pool left over). */
final class Background {
  private Background() {}

  static CompletableFuture<Void> run(Runnable call) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("test-call")
        .start(
            () -> {
              try {
                call.run();
                done.complete(null);
              } catch (Throwable t) {
                done.completeExceptionally(t);
              }
            });
    return done;
  }
}

package dev.supervision.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/*
 * The bare-JDK equivalent of a server: a virtual thread taking requests from a
 * LinkedBlockingQueue; a call carries a CompletableFuture for the reply; a cast is a plain
 * message. No links, monitors, supervision or typed errors.
 */
final class BareServer implements AutoCloseable {
  record Call(Object request, CompletableFuture<Object> reply) {}

  /* A call answered with the number of casts handled so far. */
  static final Object COUNT = new Object();

  private static final Object STOP = new Object();

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private long casts;

  BareServer() {
    thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    while (true) {
                      Object m = queue.take();
                      if (m == STOP) {
                        return;
                      }
                      if (m instanceof Call c) {
                        c.reply().complete(c.request() == COUNT ? casts : c.request());
                      } else {
                        casts++;
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  Object call(Object request) throws Exception {
    CompletableFuture<Object> reply = new CompletableFuture<>();
    queue.add(new Call(request, reply));
    return reply.get();
  }

  void cast(Object message) {
    queue.add(message);
  }

  @Override
  public void close() throws InterruptedException {
    queue.add(STOP);
    thread.join();
  }
}

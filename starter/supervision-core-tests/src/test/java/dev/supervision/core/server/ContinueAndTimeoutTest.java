package dev.supervision.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Await;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/* ServerContext.continueWith (OTP's {:continue, arg}) and timeoutAfter (a callback's timeout). */
final class ContinueAndTimeoutTest {
  private final Node node = Node.create("continue-test");
  private final List<Object> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  /*
   * Records every callback in `events`. A cast runs `onCast` with the context; the call "events"
   * answers the events so far (so a call made after casts sees what they did).
   */
  private final class Recorder implements Server {
    private final BiConsumer<ServerContext, Object> onInit;
    private final BiConsumer<ServerContext, Object> onCast;
    private final BiConsumer<ServerContext, Object> onContinue;
    private @Nullable ServerContext context;

    Recorder(
        BiConsumer<ServerContext, Object> onInit,
        BiConsumer<ServerContext, Object> onCast,
        BiConsumer<ServerContext, Object> onContinue) {
      this.onInit = onInit;
      this.onCast = onCast;
      this.onContinue = onContinue;
    }

    private ServerContext context() {
      return Objects.requireNonNull(context);
    }

    @Override
    public void init(ServerContext context) {
      this.context = context;
      events.add("init");
      onInit.accept(context, "init");
    }

    @Override
    public void handleCast(Object message) throws InterruptedException {
      if (message instanceof CountDownLatch release) {
        events.add("blocked");
        release.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      events.add("cast " + message);
      onCast.accept(context(), message);
    }

    @Override
    public void handleCall(Object request, ReplyTo replyTo) {
      replyTo.reply(List.copyOf(events));
    }

    @Override
    public void handleContinue(Object arg) {
      events.add("continue " + arg);
      onContinue.accept(context(), arg);
    }

    @Override
    public void handleInfo(Object message) {
      events.add(message);
    }

    @Override
    public void terminate(ExitReason reason) {
      events.add("terminate");
    }
  }

  private static void nothing(ServerContext context, Object what) {}

  private Pid start(
      BiConsumer<ServerContext, Object> onInit,
      BiConsumer<ServerContext, Object> onCast,
      BiConsumer<ServerContext, Object> onContinue) {
    return GenServer.start(node, () -> new Recorder(onInit, onCast, onContinue));
  }

  /* Casts `messages` while the server is held in a callback, so that all of them are queued. */
  private static void castWhileHeld(Pid pid, Object... messages) {
    CountDownLatch release = new CountDownLatch(1);
    GenServer.cast(pid, release);
    for (Object message : messages) {
      GenServer.cast(pid, message);
    }
    release.countDown();
  }

  private List<Object> eventsOf(Pid pid) {
    return GenServer.call(pid, "events");
  }

  @Nested
  final class Continue {

    @Test
    void aContinueAskedInInitRunsAfterTheStartHasReturnedAndBeforeTheFirstMessage() {
      CountDownLatch startReturned = new CountDownLatch(1);
      Pid pid =
          start(
              (c, w) -> c.continueWith("load"),
              ContinueAndTimeoutTest::nothing,
              (c, arg) -> {
                try {
                  boolean after = startReturned.await(5, TimeUnit.SECONDS);
                  events.add(after ? "after the start returned" : "before the start returned");
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      startReturned.countDown();

      assertThat(eventsOf(pid))
          .containsExactly("init", "continue load", "after the start returned");
    }

    @Test
    void continuesChainAndAllRunBeforeMessagesAlreadyQueued() {
      Pid pid =
          start(
              ContinueAndTimeoutTest::nothing,
              (c, message) -> c.continueWith(1),
              (c, arg) -> {
                if ((Integer) arg < 3) {
                  c.continueWith((Integer) arg + 1);
                }
              });
      castWhileHeld(pid, "a", "b");

      assertThat(eventsOf(pid))
          .containsExactly(
              "init",
              "blocked",
              "cast a",
              "continue 1",
              "continue 2",
              "continue 3",
              "cast b",
              "continue 1",
              "continue 2",
              "continue 3");
    }

    @Test
    void theLastContinueAskedInOneCallbackIsTheOneThatRuns() {
      Pid pid =
          start(
              (c, w) -> {
                c.continueWith("first");
                c.continueWith("second");
              },
              ContinueAndTimeoutTest::nothing,
              ContinueAndTimeoutTest::nothing);

      assertThat(eventsOf(pid)).containsExactly("init", "continue second");
    }

    @Test
    void aCallbackThatAsksForAContinueAndStopsEndsTheServerWithoutTheContinue() {
      Pid pid =
          start(
              ContinueAndTimeoutTest::nothing,
              (c, message) -> {
                c.continueWith("never");
                c.stop(ExitReason.shutdown("done"));
              },
              ContinueAndTimeoutTest::nothing);

      GenServer.cast(pid, "stop");

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.shutdown("done"));
      assertThat(events).containsExactly("init", "cast stop", "terminate");
    }

    @Test
    void aContinueToAServerWithoutHandleContinueCrashesIt() {
      Pid pid =
          GenServer.start(
              node,
              () ->
                  new Server() {
                    @Override
                    public void init(ServerContext context) {
                      context.continueWith("nobody handles this");
                    }
                  });

      assertThat(Await.exit(pid))
          .isInstanceOfSatisfying(
              ExitReason.Crashed.class,
              crashed ->
                  assertThat(crashed.error())
                      .isInstanceOf(UnsupportedOperationException.class)
                      .hasMessageContaining("nobody handles this"));
    }

    @Test
    void aContinueAskedByAnInitThatIgnoresDoesNotRun() {
      try {
        start(
            (c, w) -> {
              c.continueWith("never");
              c.ignore();
            },
            ContinueAndTimeoutTest::nothing,
            ContinueAndTimeoutTest::nothing);
      } catch (StartIgnoredException expected) {
        // the start ends in ignore
      }

      assertThat(events).containsExactly("init");
    }
  }

  @Nested
  final class Timeout {

    @Test
    void withNoMessageInTimeHandleInfoGetsTimeout() {
      Pid pid =
          start(
              (c, w) -> c.timeoutAfter(Duration.ofMillis(20)),
              ContinueAndTimeoutTest::nothing,
              ContinueAndTimeoutTest::nothing);

      await().atMost(Await.TIMEOUT).until(() -> events.contains(ServerContext.Timeout.INSTANCE));
      assertThat(eventsOf(pid)).containsExactly("init", ServerContext.Timeout.INSTANCE);
    }

    @Test
    void aZeroTimeoutWithAMessageAlreadyQueuedDeliversTheMessageAndNoTimeout() {
      Pid pid =
          start(
              ContinueAndTimeoutTest::nothing,
              (c, message) -> {
                if (message.equals("arm")) {
                  c.timeoutAfter(Duration.ZERO);
                }
              },
              ContinueAndTimeoutTest::nothing);
      castWhileHeld(pid, "arm", "b"); // "b" is queued before "arm" is handled

      assertThat(eventsOf(pid)).containsExactly("init", "blocked", "cast arm", "cast b");
    }

    @Test
    void aZeroTimeoutWithAnEmptyMailboxDeliversTimeoutAtOnceAndOnlyOnce() {
      Pid pid =
          start(
              ContinueAndTimeoutTest::nothing,
              (c, message) -> c.timeoutAfter(Duration.ZERO),
              ContinueAndTimeoutTest::nothing);

      GenServer.cast(pid, "arm");

      await().atMost(Await.TIMEOUT).until(() -> events.contains(ServerContext.Timeout.INSTANCE));
      assertThat(eventsOf(pid)).containsExactly("init", "cast arm", ServerContext.Timeout.INSTANCE);
    }

    @Test
    void aPendingContinueRunsFirstAndCancelsTheTimeout() {
      Pid pid =
          start(
              (c, w) -> {
                c.timeoutAfter(Duration.ZERO);
                c.continueWith("first");
              },
              ContinueAndTimeoutTest::nothing,
              ContinueAndTimeoutTest::nothing);

      assertThat(eventsOf(pid)).containsExactly("init", "continue first");
    }

    @Test
    void aNegativeTimeoutIsAnIllegalArgument() {
      Pid pid =
          start(
              ContinueAndTimeoutTest::nothing,
              (c, message) -> {
                try {
                  c.timeoutAfter(Duration.ofMillis(-1));
                } catch (IllegalArgumentException e) {
                  events.add("rejected");
                }
              },
              ContinueAndTimeoutTest::nothing);

      GenServer.cast(pid, "negative");

      assertThat(eventsOf(pid)).containsExactly("init", "cast negative", "rejected");
    }
  }
}

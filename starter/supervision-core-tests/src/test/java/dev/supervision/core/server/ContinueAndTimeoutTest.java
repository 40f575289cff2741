package dev.supervision.core.server;

import static dev.supervision.test.Exits.awaitExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
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
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Node node = Node.create("continue-test");
  private final List<Object> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  /*
   * Records every callback in `events`. A Note runs `onCast` with the context; a Hold blocks the
   * server until released; the call Events answers the events so far (so a call made after casts
   * sees what they did).
   */
  private final class Recorder implements Server<Recorder.Message> {
    sealed interface Message {}

    record Hold(CountDownLatch release) implements Message {}

    record Note(String text) implements Message {}

    record Events(ReplyTo<List<Object>> replyTo) implements Message {}

    private final BiConsumer<ServerContext<Message>, String> onInit;
    private final BiConsumer<ServerContext<Message>, String> onCast;
    private @Nullable ServerContext<Message> context;

    Recorder(
        BiConsumer<ServerContext<Message>, String> onInit,
        BiConsumer<ServerContext<Message>, String> onCast) {
      this.onInit = onInit;
      this.onCast = onCast;
    }

    private ServerContext<Message> context() {
      return Objects.requireNonNull(context);
    }

    @Override
    public void init(ServerContext<Message> context) {
      this.context = context;
      events.add("init");
      onInit.accept(context, "init");
    }

    @Override
    public void handle(Message message) throws InterruptedException {
      switch (message) {
        case Hold(var release) -> {
          events.add("blocked");
          release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        case Note(var text) -> {
          events.add("cast " + text);
          onCast.accept(context(), text);
        }
        case Events(var replyTo) -> replyTo.reply(List.copyOf(events));
      }
    }

    @Override
    public void handleInfo(Info info) {
      events.add(info);
    }

    @Override
    public void terminate(ExitReason reason) {
      events.add("terminate");
    }
  }

  private static void nothing(ServerContext<Recorder.Message> context, String what) {}

  private ServerRef<Recorder.Message> start(
      BiConsumer<ServerContext<Recorder.Message>, String> onInit,
      BiConsumer<ServerContext<Recorder.Message>, String> onCast) {
    return GenServer.start(node, () -> new Recorder(onInit, onCast));
  }

  /* A continue step that records "continue <arg>". */
  private ServerContext.Step recorded(String arg) {
    return () -> events.add("continue " + arg);
  }

  /* Continue steps n, n + 1, ... 3, each asking for the next. */
  private ServerContext.Step chain(ServerContext<?> context, int n) {
    return () -> {
      events.add("continue " + n);
      if (n < 3) {
        context.continueWith(chain(context, n + 1));
      }
    };
  }

  /* Casts `messages` while the server is held in a callback, so that all of them are queued. */
  private static void castWhileHeld(ServerRef<Recorder.Message> server, String... messages) {
    CountDownLatch release = new CountDownLatch(1);
    server.cast(new Recorder.Hold(release));
    for (String message : messages) {
      server.cast(new Recorder.Note(message));
    }
    release.countDown();
  }

  private List<Object> eventsOf(ServerRef<Recorder.Message> server) {
    return server.call(Recorder.Events::new);
  }

  @Nested
  final class Continue {

    @Test
    void aContinueAskedInInitRunsAfterTheStartHasReturnedAndBeforeTheFirstMessage() {
      CountDownLatch startReturned = new CountDownLatch(1);
      ServerRef<Recorder.Message> server =
          start(
              (c, w) ->
                  c.continueWith(
                      () -> {
                        events.add("continue load");
                        boolean after = startReturned.await(5, TimeUnit.SECONDS);
                        events.add(
                            after ? "after the start returned" : "before the start returned");
                      }),
              ContinueAndTimeoutTest::nothing);
      startReturned.countDown();

      assertThat(eventsOf(server))
          .containsExactly("init", "continue load", "after the start returned");
    }

    @Test
    void continuesChainAndAllRunBeforeMessagesAlreadyQueued() {
      ServerRef<Recorder.Message> server =
          start(ContinueAndTimeoutTest::nothing, (c, message) -> c.continueWith(chain(c, 1)));
      castWhileHeld(server, "a", "b");

      assertThat(eventsOf(server))
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
      ServerRef<Recorder.Message> server =
          start(
              (c, w) -> {
                c.continueWith(recorded("first"));
                c.continueWith(recorded("second"));
              },
              ContinueAndTimeoutTest::nothing);

      assertThat(eventsOf(server)).containsExactly("init", "continue second");
    }

    @Test
    void aCallbackThatAsksForAContinueAndStopsEndsTheServerWithoutTheContinue() {
      ServerRef<Recorder.Message> server =
          start(
              ContinueAndTimeoutTest::nothing,
              (c, message) -> {
                c.continueWith(recorded("never"));
                c.stop(ExitReason.shutdown("done"));
              });

      server.cast(new Recorder.Note("stop"));

      assertThat(awaitExit(server.pid())).isEqualTo(ExitReason.shutdown("done"));
      assertThat(events).containsExactly("init", "cast stop", "terminate");
    }

    @Test
    void aContinueStepThatThrowsCrashesTheServerAsACallbackDoes() {
      IllegalStateException boom = new IllegalStateException("step failed");
      ServerRef<Recorder.Message> server =
          start(
              (c, w) ->
                  c.continueWith(
                      () -> {
                        throw boom;
                      }),
              ContinueAndTimeoutTest::nothing);

      assertThat(awaitExit(server.pid())).isEqualTo(ExitReason.crashed(boom));
      assertThat(events).containsExactly("init", "terminate");
    }

    @Test
    void aContinueAskedByAnInitThatIgnoresDoesNotRun() {
      try {
        start(
            (c, w) -> {
              c.continueWith(recorded("never"));
              c.ignore();
            },
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
      ServerRef<Recorder.Message> server =
          start((c, w) -> c.timeoutAfter(Duration.ofMillis(20)), ContinueAndTimeoutTest::nothing);

      await().atMost(TIMEOUT).until(() -> events.contains(Info.Timeout.INSTANCE));
      assertThat(eventsOf(server)).containsExactly("init", Info.Timeout.INSTANCE);
    }

    @Test
    void aZeroTimeoutWithAMessageAlreadyQueuedDeliversTheMessageAndNoTimeout() {
      ServerRef<Recorder.Message> server =
          start(
              ContinueAndTimeoutTest::nothing,
              (c, message) -> {
                if (message.equals("arm")) {
                  c.timeoutAfter(Duration.ZERO);
                }
              });
      castWhileHeld(server, "arm", "b"); // "b" is queued before "arm" is handled

      assertThat(eventsOf(server)).containsExactly("init", "blocked", "cast arm", "cast b");
    }

    @Test
    void aZeroTimeoutWithAnEmptyMailboxDeliversTimeoutAtOnceAndOnlyOnce() {
      ServerRef<Recorder.Message> server =
          start(ContinueAndTimeoutTest::nothing, (c, message) -> c.timeoutAfter(Duration.ZERO));

      server.cast(new Recorder.Note("arm"));

      await().atMost(TIMEOUT).until(() -> events.contains(Info.Timeout.INSTANCE));
      assertThat(eventsOf(server)).containsExactly("init", "cast arm", Info.Timeout.INSTANCE);
    }

    @Test
    void aPendingContinueRunsFirstAndCancelsTheTimeout() {
      ServerRef<Recorder.Message> server =
          start(
              (c, w) -> {
                c.timeoutAfter(Duration.ZERO);
                c.continueWith(recorded("first"));
              },
              ContinueAndTimeoutTest::nothing);

      assertThat(eventsOf(server)).containsExactly("init", "continue first");
    }

    @Test
    void aNegativeTimeoutIsAnIllegalArgument() {
      ServerRef<Recorder.Message> server =
          start(
              ContinueAndTimeoutTest::nothing,
              (c, message) -> {
                try {
                  c.timeoutAfter(Duration.ofMillis(-1));
                } catch (IllegalArgumentException e) {
                  events.add("rejected");
                }
              });

      server.cast(new Recorder.Note("negative"));

      assertThat(eventsOf(server)).containsExactly("init", "cast negative", "rejected");
    }
  }
}

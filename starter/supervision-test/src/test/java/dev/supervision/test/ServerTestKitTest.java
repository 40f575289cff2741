package dev.supervision.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.server.DirectReply;
import dev.supervision.core.server.Info;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class ServerTestKitTest {

  /* What Counter's init does, chosen per test. */
  enum Start {
    PLAIN,
    CONTINUE,
    IGNORE,
    STOP,
    THROW,
    THROW_CHECKED
  }

  /** A counter whose messages exercise every context operation. */
  static final class Counter implements Server<Counter.Message> {
    sealed interface Message {}

    record Increment(long by) implements Message {}

    record Get(ReplyTo<Long> replyTo) implements Message {}

    /** A call answered only when Release comes (a deferred reply). */
    record Hold(ReplyTo<Long> replyTo) implements Message {}

    enum Release implements Message {
      INSTANCE
    }

    record Stop(ExitReason reason) implements Message {}

    record Fail(String why) implements Message {}

    /** Asks for a continue step that adds `by`. */
    record AddLater(long by) implements Message {}

    record IdleFor(Duration timeout) implements Message {}

    enum IgnoreNow implements Message {
      INSTANCE
    }

    enum UseSelf implements Message {
      INSTANCE
    }

    private final Start start;
    private ServerContext<Message> context;
    long value;
    boolean loaded;
    int timeouts;
    final List<Info> infos = new ArrayList<>();
    final List<ExitReason> terminated = new ArrayList<>();
    private final List<ReplyTo<Long>> held = new ArrayList<>();

    Counter(Start start) {
      this.start = start;
    }

    @Override
    public void init(ServerContext<Message> context) throws Exception {
      this.context = context;
      switch (start) {
        case PLAIN -> {}
        case CONTINUE -> context.continueWith(() -> loaded = true);
        case IGNORE -> context.ignore();
        case STOP -> context.stop(ExitReason.shutdown("no config"));
        case THROW -> throw new IllegalArgumentException("bad config");
        case THROW_CHECKED -> throw new IOException("config unreadable");
      }
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Increment(long by) -> value += by;
        case Get(var replyTo) -> replyTo.reply(loaded ? value + 1000 : value);
        case Hold(var replyTo) -> held.add(replyTo);
        case Release release -> {
          held.forEach(r -> r.reply(value));
          held.clear();
        }
        case Stop(var reason) -> context.stop(reason);
        case Fail(var why) -> throw new IllegalStateException(why);
        case AddLater(long by) -> context.continueWith(() -> value += by);
        case IdleFor(var timeout) -> context.timeoutAfter(timeout);
        case IgnoreNow ignore -> context.ignore();
        case UseSelf use -> context.self().cast(new Increment(1));
      }
    }

    @Override
    public void handleInfo(Info info) {
      infos.add(info);
      if (info instanceof Info.Timeout) {
        timeouts++;
      }
    }

    @Override
    public void terminate(ExitReason reason) {
      terminated.add(reason);
    }
  }

  private static ServerTestKit<Counter.Message> kit(Counter counter) {
    return ServerTestKit.of(counter);
  }

  @Nested
  final class Of {

    @Test
    void runsInitWithAContextAndLeavesTheServerRunning() {
      Counter counter = new Counter(Start.PLAIN);
      ServerTestKit<Counter.Message> kit = kit(counter);

      assertThat(counter.context).isNotNull();
      assertThat(kit.isRunning()).isTrue();
      assertThat(kit.exitReason()).isEmpty();
    }

    @Test
    void recordsAContinueFromInitAndRunsItBeforeTheFirstMessage() {
      Counter counter = new Counter(Start.CONTINUE);
      ServerTestKit<Counter.Message> kit = kit(counter);
      assertThat(kit.hasPendingContinue()).isTrue();
      assertThat(counter.loaded).isFalse();

      long value = kit.call(Counter.Get::new);

      assertThat(value).isEqualTo(1000L);
      assertThat(kit.hasPendingContinue()).isFalse();
    }

    @Test
    void recordsAnIgnoreAndTakesNoMessageAfterIt() {
      Counter counter = new Counter(Start.IGNORE);
      ServerTestKit<Counter.Message> kit = kit(counter);

      assertThat(kit.isIgnored()).isTrue();
      assertThat(kit.isRunning()).isFalse();
      assertThat(kit.exitReason()).contains(ExitReason.normal());
      assertThat(counter.terminated).isEmpty();
      assertThatThrownBy(() -> kit.cast(new Counter.Increment(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ignored");
    }

    @Test
    void recordsAStopFromInitWithoutRunningTerminate() {
      Counter counter = new Counter(Start.STOP);
      ServerTestKit<Counter.Message> kit = kit(counter);

      assertThat(kit.isRunning()).isFalse();
      assertThat(kit.exitReason()).contains(ExitReason.shutdown("no config"));
      assertThat(counter.terminated).isEmpty();
    }

    @Test
    void letsAnUncheckedExceptionFromInitReachTheTest() {
      assertThatThrownBy(() -> kit(new Counter(Start.THROW)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bad config");
    }

    @Test
    void wrapsACheckedExceptionFromInitInAnAssertionError() {
      assertThatThrownBy(() -> kit(new Counter(Start.THROW_CHECKED)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("init threw")
          .hasCauseInstanceOf(IOException.class);
    }
  }

  @Nested
  final class Cast {

    @Test
    void handsTheMessageToHandle() {
      Counter counter = new Counter(Start.PLAIN);
      ServerTestKit<Counter.Message> kit = kit(counter);

      kit.cast(new Counter.Increment(2));
      kit.cast(new Counter.Increment(3));

      assertThat(counter.value).isEqualTo(5L);
    }

    @Test
    void aThrowingHandlerCrashesTheServerRunsTerminateAndReachesTheTest() {
      Counter counter = new Counter(Start.PLAIN);
      ServerTestKit<Counter.Message> kit = kit(counter);

      assertThatThrownBy(() -> kit.cast(new Counter.Fail("bad")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("bad");

      assertThat(kit.isRunning()).isFalse();
      assertThat(kit.exitReason()).get().isInstanceOf(ExitReason.Crashed.class);
      assertThat(counter.terminated).hasSize(1).first().isInstanceOf(ExitReason.Crashed.class);
      assertThatThrownBy(() -> kit.cast(new Counter.Increment(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("has ended with");
    }

    @Test
    void aStopTakesEffectAfterTheCallbackAndRunsTerminateWithTheReason() {
      Counter counter = new Counter(Start.PLAIN);
      ServerTestKit<Counter.Message> kit = kit(counter);

      kit.cast(new Counter.Stop(ExitReason.shutdown("done")));

      assertThat(kit.isRunning()).isFalse();
      assertThat(kit.exitReason()).contains(ExitReason.shutdown("done"));
      assertThat(counter.terminated).containsExactly(ExitReason.shutdown("done"));
    }

    @Test
    void ignoreOutsideInitCrashesTheServerAsInTheRuntime() {
      ServerTestKit<Counter.Message> kit = kit(new Counter(Start.PLAIN));

      assertThatThrownBy(() -> kit.cast(Counter.IgnoreNow.INSTANCE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ignore() answers init only");
      assertThat(kit.isRunning()).isFalse();
    }

    @Test
    void selfIsUnsupportedWithoutAProcess() {
      ServerTestKit<Counter.Message> kit = kit(new Counter(Start.PLAIN));

      assertThatThrownBy(() -> kit.cast(Counter.UseSelf.INSTANCE))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("without a process");
    }
  }

  @Nested
  final class Call {

    @Test
    void returnsTheReplyTheHandlerGave() {
      ServerTestKit<Counter.Message> kit = kit(new Counter(Start.PLAIN));
      kit.cast(new Counter.Increment(7));

      long value = kit.call(Counter.Get::new);

      assertThat(value).isEqualTo(7L);
    }

    @Test
    void failsClearlyWhenTheHandlerDeferredAndDidNotReply() {
      ServerTestKit<Counter.Message> kit = kit(new Counter(Start.PLAIN));

      assertThatThrownBy(() -> kit.call(Counter.Hold::new))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("returned without replying to Hold")
          .hasMessageContaining("request(");
      assertThat(kit.isRunning()).isTrue();
    }
  }

  @Nested
  final class Request {

    @Test
    void returnsTheReplyTargetOfADeferredCallForTheTestToCheckLater() {
      ServerTestKit<Counter.Message> kit = kit(new Counter(Start.PLAIN));
      kit.cast(new Counter.Increment(4));

      DirectReply<Long> reply = kit.request(Counter.Hold::new);
      assertThat(reply.isAnswered()).isFalse();
      assertThatThrownBy(reply::value)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("no reply yet");

      kit.cast(Counter.Release.INSTANCE);

      assertThat(reply.isAnswered()).isTrue();
      assertThat(reply.value()).isEqualTo(4L);
    }

    @Test
    void aReplyTargetTakesTheFirstReplyOnlyFromAnyThread() throws InterruptedException {
      DirectReply<@Nullable String> reply = DirectReply.create();
      boolean[] first = new boolean[1];
      Thread other = Thread.ofVirtual().start(() -> first[0] = reply.replyTo().reply(null));
      other.join();

      assertThat(first[0]).isTrue();
      assertThat(reply.replyTo().reply("second")).isFalse();
      assertThat(reply.replyTo().isWaiting()).isFalse();
      assertThat(reply.value()).isNull();
    }
  }

  @Nested
  final class InfoAndTimeouts {

    @Test
    void handsInfoToHandleInfo() {
      Counter counter = new Counter(Start.PLAIN);
      ServerTestKit<Counter.Message> kit = kit(counter);

      kit.info(new Info.Message("stray"));
      kit.info(Info.Timeout.INSTANCE);

      assertThat(counter.infos).containsExactly(new Info.Message("stray"), Info.Timeout.INSTANCE);
      assertThat(counter.timeouts).isEqualTo(1);
    }

    @Test
    void recordsTheTimeoutTheLastCallbackAskedForAndClearsItOnTheNext() {
      ServerTestKit<Counter.Message> kit = kit(new Counter(Start.PLAIN));

      kit.cast(new Counter.IdleFor(Duration.ofSeconds(30)));
      assertThat(kit.requestedTimeout()).contains(Duration.ofSeconds(30));

      kit.cast(new Counter.Increment(1));
      assertThat(kit.requestedTimeout()).isEmpty();
    }

    @Test
    void aNegativeTimeoutIsRefusedAsTheRuntimeRefusesIt() {
      ServerTestKit<Counter.Message> kit = kit(new Counter(Start.PLAIN));

      assertThatThrownBy(() -> kit.cast(new Counter.IdleFor(Duration.ofSeconds(-1))))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  final class RunContinue {

    @Test
    void runsTheStepTheLastCallbackAskedFor() {
      Counter counter = new Counter(Start.PLAIN);
      ServerTestKit<Counter.Message> kit = kit(counter);
      kit.cast(new Counter.AddLater(5));
      assertThat(kit.hasPendingContinue()).isTrue();
      assertThat(counter.value).isZero();

      kit.runContinue();

      assertThat(counter.value).isEqualTo(5L);
      assertThat(kit.hasPendingContinue()).isFalse();
    }

    @Test
    void failsWhenNoStepIsPending() {
      ServerTestKit<Counter.Message> kit = kit(new Counter(Start.PLAIN));

      assertThatThrownBy(kit::runContinue)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("no continue step");
    }
  }
}

package dev.supervision.core.server;

import static dev.supervision.core.server.EchoServer.echo;
import static dev.supervision.test.Exits.awaitExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Futures;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.EchoServer.CallSelf;
import dev.supervision.core.server.EchoServer.Crash;
import dev.supervision.core.server.EchoServer.CrashOnCall;
import dev.supervision.core.server.EchoServer.Defer;
import dev.supervision.core.server.EchoServer.Echo;
import dev.supervision.core.server.EchoServer.Event;
import dev.supervision.core.server.EchoServer.Gate;
import dev.supervision.core.server.EchoServer.Message;
import dev.supervision.core.server.EchoServer.Monitor;
import dev.supervision.core.server.EchoServer.Note;
import dev.supervision.core.server.EchoServer.ReplyDeferred;
import dev.supervision.core.server.EchoServer.ReplyNull;
import dev.supervision.core.server.EchoServer.ReplyThenStop;
import dev.supervision.core.server.EchoServer.StopSelf;
import dev.supervision.core.server.EchoServer.StopWith;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class GenServerTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Node node = Node.create("server-test");
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  private ServerRef<Message> startEcho() {
    return GenServer.start(
        node, () -> new EchoServer(events), StartOptions.DEFAULTS.withLabel("echo"));
  }

  /* Calls on a thread of its own; the future holds the reply or the CallException. */
  private static <R> CompletableFuture<Object> callAsync(
      ServerRef<Message> server, Function<ReplyTo<R>, Message> request, Duration timeout) {
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              try {
                R reply = server.call(request, timeout);
                outcome.complete(reply);
              } catch (RuntimeException e) {
                outcome.complete(e);
              }
            });
    return outcome;
  }

  private static void awaitEntered(Gate gate) throws InterruptedException {
    assertThat(gate.entered().await(5, TimeUnit.SECONDS)).isTrue();
  }

  private boolean terminated() {
    return events.stream().anyMatch(e -> e.kind().equals("terminate"));
  }

  @Nested
  final class Call {

    @Test
    void returnsTheReply() {
      ServerRef<Message> echo = startEcho();

      String hello = echo.call(r -> new Echo<>("hello", r));
      Integer answer = echo.call(r -> new Echo<>(42, r), Duration.ofSeconds(1));
      String nothing = echo.call(ReplyNull::new);

      assertThat(hello).isEqualTo("hello");
      assertThat(answer).isEqualTo(42);
      assertThat(nothing).isNull();
    }

    @Test
    void aDeferredReplyReachesTheCallerWhenALaterMessageSendsIt() {
      ServerRef<Message> echo = startEcho();
      CompletableFuture<Object> reply = callAsync(echo, Defer::new, LONG);
      await().atMost(TIMEOUT).until(() -> events.contains(new Event("deferred", true)));
      assertThat(reply).isNotDone();

      echo.cast(new ReplyDeferred("later"));

      assertThat(Futures.result(reply)).isEqualTo("later");
      await().atMost(TIMEOUT).until(() -> events.contains(new Event("late reply", true)));
    }

    @Test
    void aTimeoutFailsTheCallWhileTheServerKeepsRunningAndDropsTheLateReply() {
      ServerRef<Message> echo = startEcho();

      assertThatThrownBy(() -> echo.call(Defer::new, Duration.ofMillis(50)))
          .isInstanceOfSatisfying(
              CallException.Timeout.class,
              e -> {
                assertThat(e.timeout()).isEqualTo(Duration.ofMillis(50));
                assertThat(e.request()).isInstanceOf(Defer.class);
                assertThat(e.server()).isEqualTo(echo.pid());
              });
      assertThat(echo.pid().isAlive()).isTrue();

      echo.cast(new ReplyDeferred("too late"));

      assertThat(echo(echo, "next")).isEqualTo("next");
      assertThat(events).contains(new Event("late reply", false));
    }

    @Test
    void aZeroTimeoutGivesUpAtOnceUnlessTheReplyIsAlreadyThere() {
      ServerRef<Message> echo = startEcho();

      assertThatThrownBy(() -> echo.call(Defer::new, Duration.ZERO))
          .isInstanceOf(CallException.Timeout.class);
      assertThat(echo(echo, "alive")).isEqualTo("alive");
    }

    @Test
    void badArgumentsAreRejected() {
      ServerRef<Message> echo = startEcho();

      assertThatThrownBy(() -> echo.call(r -> new Echo<>("x", r), Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("timeout must be >= 0 but was PT-0.001S");
      assertThatThrownBy(() -> echo.call(r -> nullMessage()))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> echo.cast(nullMessage())).isInstanceOf(NullPointerException.class);
    }

    @SuppressWarnings("NullAway") // null on purpose
    private Message nullMessage() {
      return null;
    }

    @Test
    void callingItselfFailsAtOnceWithCallingSelf() {
      ServerRef<Message> echo = startEcho();

      Object callingSelf = echo.call(CallSelf::new);
      Object stoppingSelf = echo.call(StopSelf::new);

      assertThat(callingSelf).isEqualTo(CallException.CallingSelf.class);
      assertThat(stoppingSelf).isEqualTo(CallException.CallingSelf.class);
      assertThat(echo.pid().isAlive()).isTrue();
    }

    @Test
    void anInterruptedCallerGetsInterruptedWithItsFlagSet() throws Exception {
      ServerRef<Message> echo = startEcho();
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      Thread caller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      echo.call(Defer::new, GenServer.INFINITY);
                      outcome.complete("replied");
                    } catch (CallException e) {
                      outcome.complete(
                          List.of(e.getClass(), Thread.currentThread().isInterrupted()));
                    }
                  });
      await().atMost(TIMEOUT).until(() -> events.contains(new Event("deferred", true)));

      caller.interrupt();

      assertThat(Futures.result(outcome)).isEqualTo(List.of(CallException.Interrupted.class, true));
      assertThat(echo.pid().isAlive()).isTrue();
    }

    @Test
    void manyConcurrentCallersGetTheirOwnReplies() throws Exception {
      ServerRef<Message> echo = startEcho();
      int callers = 8;
      int calls = 2_000;
      AtomicInteger wrong = new AtomicInteger();
      AtomicInteger right = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        String caller = "caller-" + c;
        Thread.Builder builder = c % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
        threads.add(
            builder.start(
                () -> {
                  for (int i = 0; i < calls; i++) {
                    String request = caller + "/" + i;
                    String reply = echo.call(r -> new Echo<>(request, r), LONG);
                    (request.equals(reply) ? right : wrong).incrementAndGet();
                  }
                }));
      }
      for (Thread thread : threads) {
        thread.join();
      }

      assertThat(wrong).hasValue(0);
      assertThat(right).hasValue(callers * calls);
    }
  }

  @Nested
  final class CallFailures {

    @Test
    void aCallToAnExitedProcessFailsWithNoProc() {
      ServerRef<Message> echo = startEcho();
      echo.stop();

      assertThatThrownBy(() -> echo(echo, "anyone?"))
          .isInstanceOfSatisfying(
              CallException.NoProc.class,
              e -> {
                assertThat(e.server()).isEqualTo(echo.pid());
                assertThat(e.request())
                    .isInstanceOfSatisfying(
                        Echo.class, m -> assertThat(m.value()).isEqualTo("anyone?"));
              });
    }

    @Test
    void aServerCrashingDuringTheCallFailsItWithServerExitedCarryingTheCrash() {
      ServerRef<Message> echo = startEcho();
      IllegalStateException boom = new IllegalStateException("boom");

      assertThatThrownBy(() -> echo.call((ReplyTo<String> r) -> new CrashOnCall(boom, r)))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(boom)))
          .hasCause(boom);

      assertThat(awaitExit(echo.pid())).isEqualTo(ExitReason.crashed(boom));
      assertThat(events).contains(new Event("terminate", ExitReason.crashed(boom)));
    }

    @Test
    void callsQueuedBehindACrashFailWithServerExitedNotATimeout() throws Exception {
      ServerRef<Message> echo = startEcho();
      IllegalStateException boom = new IllegalStateException("boom");
      Gate gate = new Gate(boom);
      CompletableFuture<Object> first = callAsync(echo, gate::block, LONG);
      awaitEntered(gate);
      List<CompletableFuture<Object>> queued = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String request = "queued " + i;
        queued.add(callAsync(echo, Echo.of(request), LONG));
      }
      await().atMost(TIMEOUT).until(() -> echo.pid().mailboxDepth() == 3);

      gate.release().countDown();

      assertThat(Futures.result(first))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(boom)));
      for (CompletableFuture<Object> call : queued) {
        assertThat(Futures.result(call))
            .isInstanceOfSatisfying(
                CallException.ServerExited.class,
                e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(boom)));
      }
    }

    @Test
    void deferredCallsFailWithServerExitedWhenTheServerCrashes() {
      ServerRef<Message> echo = startEcho();
      CompletableFuture<Object> deferred = callAsync(echo, Defer::new, LONG);
      await().atMost(TIMEOUT).until(() -> events.contains(new Event("deferred", true)));
      IllegalStateException boom = new IllegalStateException("boom");

      echo.cast(new Crash(boom));

      assertThat(Futures.result(deferred))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(boom)));
    }

    @Test
    void aCallLeftUnansweredByAStoppingServerFailsWithItsReason() {
      ServerRef<Message> echo = startEcho();
      CompletableFuture<Object> deferred = callAsync(echo, Defer::new, LONG);
      await().atMost(TIMEOUT).until(() -> events.contains(new Event("deferred", true)));

      echo.stop();

      assertThat(Futures.result(deferred))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.normal()));
    }

    @Test
    void aServerKilledWhileHandlingACallFailsTheCallerWithKilledAndSkipsTerminate()
        throws Exception {
      ServerRef<Message> echo = startEcho();
      Gate gate = new Gate();
      CompletableFuture<Object> call = callAsync(echo, gate::block, LONG);
      awaitEntered(gate);

      node.kill(echo.pid());

      assertThat(Futures.result(call))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.killed()));
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(terminated()).isFalse();
      assertThat(echo.pid().exitReason()).contains(ExitReason.killed());
    }

    @Test
    void aCallbackThrowingAnErrorCrashesTheServerWithThatError() {
      AssertionError failure = new AssertionError("broken");
      EchoServer erroring =
          new EchoServer(events) {
            @Override
            public void handle(Message message) {
              throw failure;
            }
          };
      ServerRef<Message> broken = GenServer.start(node, () -> erroring);

      assertThatThrownBy(() -> echo(broken, "anything"))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(failure)));
      assertThat(awaitExit(broken.pid())).isEqualTo(ExitReason.crashed(failure));
      assertThat(events).contains(new Event("terminate", ExitReason.crashed(failure)));
    }
  }

  @Nested
  final class Cast {

    @Test
    void castsAreHandledInOrderWithCalls() {
      ServerRef<Message> echo = startEcho();

      echo.cast(new Note("a"));
      echo.cast(new Note("b"));
      echo(echo, "sync");

      assertThat(events).endsWith(new Event("cast", "a"), new Event("cast", "b"));
    }

    @Test
    void aCastNeverBlocksEvenWhenTheServerIsBusy() throws Exception {
      ServerRef<Message> echo = startEcho();
      Gate gate = new Gate();
      CompletableFuture<Object> busy = callAsync(echo, gate::block, LONG);
      awaitEntered(gate);

      for (int i = 0; i < 2_000; i++) {
        echo.cast(new Note(i));
      }

      assertThat(echo.pid().mailboxDepth()).isEqualTo(2_000);
      gate.release().countDown();
      assertThat(Futures.result(busy)).isEqualTo("released");
      // Each cast is recorded by copying the events list (quadratic): 10,000 took over 5 s on a
      // loaded machine. The call waits for them all; it does not time them.
      String sync = echo.call(r -> new Echo<>("sync", r), LONG);
      assertThat(sync).isEqualTo("sync");
      assertThat(events).endsWith(new Event("cast", 1_999));
    }

    @Test
    void aCastToAnExitedServerIsDroppedSilently() {
      ServerRef<Message> echo = startEcho();
      echo.stop();

      echo.cast(new Note("nobody"));

      assertThat(echo.pid().mailboxDepth()).isZero();
      assertThat(events).doesNotContain(new Event("cast", "nobody"));
    }
  }

  @Nested
  final class HandleInfo {

    @Test
    void plainSendsGoToHandleInfo() {
      ServerRef<Message> echo = startEcho();

      echo.pid().send("hello");
      echo(echo, "sync");

      assertThat(events).contains(new Event("info", new Info.Message("hello")));
    }

    @Test
    void downNoticesGoToHandleInfo() {
      ServerRef<Message> echo = startEcho();
      Pid target = node.spawn(self -> self.receive());
      MonitorRef ref = echo.call(r -> new Monitor(target, r));

      target.send("stop");

      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  events.contains(
                      new Event("info", new Info.Down(ref, target, ExitReason.normal()))));
      assertThat(echo.pid().isAlive()).isTrue();
    }

    @Test
    void exitSignalsFromOthersThanTheParentGoToHandleInfoWhileTrapping() {
      ServerRef<Message> echo =
          GenServer.start(node, () -> new EchoServer(events, true), StartOptions.DEFAULTS);

      node.exit(echo.pid(), ExitReason.shutdown());
      echo(echo, "sync");

      assertThat(events).contains(new Event("info", new Info.Exit(null, ExitReason.shutdown())));
      assertThat(terminated()).isFalse();
    }
  }

  @Nested
  final class Stop {

    @Test
    void stopRunsTerminateAndTheServerExitsWithTheReason() {
      ServerRef<Message> echo = startEcho();

      echo.stop(ExitReason.shutdown("bye"), TIMEOUT);

      assertThat(echo.pid().exitReason()).contains(ExitReason.shutdown("bye"));
      assertThat(events).endsWith(new Event("terminate", ExitReason.shutdown("bye")));
    }

    @Test
    void stopWithoutAReasonStopsNormally() {
      ServerRef<Message> echo = startEcho();

      echo.stop();

      assertThat(echo.pid().exitReason()).contains(ExitReason.normal());
      assertThat(events).endsWith(new Event("terminate", ExitReason.normal()));
    }

    @Test
    void stoppingAnExitedServerFailsWithNoProc() {
      ServerRef<Message> echo = startEcho();
      echo.stop();

      assertThatThrownBy(echo::stop).isInstanceOf(CallException.NoProc.class);
    }

    @Test
    void stopTimesOutAndKillsAServerThatDoesNotExitInTime() throws Exception {
      ServerRef<Message> echo = startEcho();
      Gate gate = new Gate();
      CompletableFuture<Object> busy = callAsync(echo, gate::block, LONG);
      awaitEntered(gate);

      assertThatThrownBy(() -> echo.stop(ExitReason.normal(), Duration.ofMillis(50)))
          .isInstanceOf(CallException.Timeout.class);

      assertThat(awaitExit(echo.pid())).isEqualTo(ExitReason.killed());
      gate.release().countDown();
      assertThat(Futures.result(busy))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.killed()));
    }

    @Test
    void serverContextStopFromAHandlerRunsTerminateAndExitsWithTheReason() {
      ServerRef<Message> echo = startEcho();

      echo.cast(new StopWith(ExitReason.shutdown("enough")));

      assertThat(awaitExit(echo.pid())).isEqualTo(ExitReason.shutdown("enough"));
      assertThat(events).endsWith(new Event("terminate", ExitReason.shutdown("enough")));
    }

    @Test
    void aHandlerCanReplyAndThenStop() {
      ServerRef<Message> echo = startEcho();

      String reply = echo.call(r -> new ReplyThenStop("bye", ExitReason.normal(), r));

      assertThat(reply).isEqualTo("bye");
      assertThat(awaitExit(echo.pid())).isEqualTo(ExitReason.normal());
      assertThat(events).endsWith(new Event("terminate", ExitReason.normal()));
    }

    @Test
    void callsQueuedWhenTheServerStopsItselfFailWithItsReason() throws Exception {
      ServerRef<Message> echo = startEcho();
      Gate gate = new Gate();
      CompletableFuture<Object> busy = callAsync(echo, gate::block, LONG);
      awaitEntered(gate);
      echo.cast(new StopWith(ExitReason.shutdown("enough")));
      CompletableFuture<Object> queued = callAsync(echo, Echo.of("too late"), LONG);
      await().atMost(TIMEOUT).until(() -> echo.pid().mailboxDepth() == 2);

      gate.release().countDown();

      assertThat(Futures.result(busy)).isEqualTo("released");
      assertThat(Futures.result(queued))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.shutdown("enough")));
    }

    @Test
    void aTerminateThatThrowsDoesNotChangeTheExitReason() {
      ServerRef<Message> echo =
          GenServer.start(
              node,
              () ->
                  new EchoServer(events) {
                    @Override
                    public void terminate(ExitReason reason) {
                      throw new IllegalStateException("cleanup failed");
                    }
                  });

      echo.stop(ExitReason.shutdown(), TIMEOUT);

      assertThat(echo.pid().exitReason()).contains(ExitReason.shutdown());
    }
  }

  @Nested
  final class Terminate {

    /* A trapping parent that starts a linked server, reports it and then obeys orders. */
    private Pid parentOf(CompletableFuture<Pid> server, boolean serverTraps) {
      return node.spawn(
          self -> {
            self.trapExits(true);
            Pid pid = GenServer.startLink(() -> new EchoServer(events, serverTraps)).pid();
            server.complete(pid);
            while (true) {
              Object order = self.receive();
              if (order instanceof ExitReason reason) {
                self.node().exit(pid, reason);
              } else if (order instanceof Exception e) {
                throw e;
              }
            }
          });
    }

    @Test
    void aTrappingServerWhoseParentSendsAnExitSignalRunsTerminateWithThatReason() {
      CompletableFuture<Pid> server = new CompletableFuture<>();
      Pid parent = parentOf(server, true);
      Pid pid = Futures.result(server);

      parent.send(ExitReason.shutdown());

      assertThat(awaitExit(pid)).isEqualTo(ExitReason.shutdown());
      assertThat(events).endsWith(new Event("terminate", ExitReason.shutdown()));
      assertThat(parent.isAlive()).isTrue();
    }

    @Test
    void aTrappingServerWhoseParentCrashesRunsTerminateWithTheCrash() {
      CompletableFuture<Pid> server = new CompletableFuture<>();
      Pid parent = parentOf(server, true);
      Pid pid = Futures.result(server);
      IllegalStateException boom = new IllegalStateException("parent failed");

      parent.send(boom);

      assertThat(awaitExit(pid)).isEqualTo(ExitReason.crashed(boom));
      assertThat(events).endsWith(new Event("terminate", ExitReason.crashed(boom)));
    }

    @Test
    void aNonTrappingServerKilledByItsLinkedParentDoesNotRunTerminate() {
      CompletableFuture<Pid> server = new CompletableFuture<>();
      Pid parent = parentOf(server, false);
      Pid pid = Futures.result(server);
      IllegalStateException boom = new IllegalStateException("parent failed");

      parent.send(boom);

      assertThat(awaitExit(pid)).isEqualTo(ExitReason.crashed(boom));
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(terminated()).isFalse();
    }

    @Test
    void aNonTrappingServerGivenAnExitSignalByItsParentDoesNotRunTerminate() {
      CompletableFuture<Pid> server = new CompletableFuture<>();
      Pid parent = parentOf(server, false);
      Pid pid = Futures.result(server);

      parent.send(ExitReason.shutdown());

      assertThat(awaitExit(pid)).isEqualTo(ExitReason.shutdown());
      await().atMost(TIMEOUT).until(() -> node.processCount() == 1);
      assertThat(terminated()).isFalse();
    }

    @Test
    void aKilledServerDoesNotRunTerminateEvenWhenTrapping() {
      ServerRef<Message> echo =
          GenServer.start(node, () -> new EchoServer(events, true), StartOptions.DEFAULTS);

      node.kill(echo.pid());

      assertThat(awaitExit(echo.pid())).isEqualTo(ExitReason.killed());
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(terminated()).isFalse();
    }
  }

  @Nested
  final class Observer {

    @Test
    void seesTheOutcomeOfEveryCallToTheNodesServers() {
      List<String> seen = new CopyOnWriteArrayList<>();
      GenServer.observeCalls(
          node,
          (server, outcome, nanos) -> {
            assertThat(nanos).isNotNegative();
            seen.add(server + " " + outcome);
          });
      ServerRef<Message> echo = startEcho();

      echo(echo, "ok");
      assertThatThrownBy(() -> echo.call(Defer::new, Duration.ofMillis(20)))
          .isInstanceOf(CallException.Timeout.class);
      assertThatThrownBy(
              () ->
                  echo.call(
                      (ReplyTo<String> r) -> new CrashOnCall(new IllegalStateException("x"), r)))
          .isInstanceOf(CallException.ServerExited.class);
      awaitExit(echo.pid());
      assertThatThrownBy(() -> echo(echo, "gone")).isInstanceOf(CallException.NoProc.class);

      assertThat(seen).containsExactly("echo OK", "echo TIMEOUT", "echo EXITED", "echo NOPROC");
    }

    @Test
    void removingTheObserverStopsTheReports() {
      List<String> seen = new CopyOnWriteArrayList<>();
      GenServer.observeCalls(node, (server, outcome, nanos) -> seen.add(outcome.name()));
      ServerRef<Message> echo = startEcho();
      echo(echo, "seen");

      GenServer.observeCalls(node, null);
      echo(echo, "unseen");

      assertThat(seen).containsExactly("OK");
    }

    @Test
    void aFailingObserverDoesNotChangeTheOutcomeOfTheCall() {
      GenServer.observeCalls(
          node,
          (server, outcome, nanos) -> {
            throw new IllegalStateException("observer failed");
          });
      ServerRef<Message> echo = startEcho();

      assertThat(echo(echo, "still answered")).isEqualTo("still answered");
      assertThatThrownBy(() -> echo.call(Defer::new, Duration.ZERO))
          .isInstanceOf(CallException.Timeout.class);
    }

    @Test
    void seesCallingSelf() {
      List<String> seen = new CopyOnWriteArrayList<>();
      GenServer.observeCalls(node, (server, outcome, nanos) -> seen.add(outcome.name()));
      ServerRef<Message> echo = startEcho();

      echo.call(CallSelf::new);

      assertThat(seen).containsExactly("CALLING_SELF", "OK");
    }
  }

  @Test
  void closingTheNodeFailsTheCallsInFlight() throws Exception {
    ServerRef<Message> echo = startEcho();
    Gate gate = new Gate();
    CompletableFuture<Object> call = callAsync(echo, gate::block, LONG);
    awaitEntered(gate);

    node.close();

    assertThat(node.processCount()).isZero();
    assertThat(Futures.result(call))
        .isInstanceOfSatisfying(
            CallException.ServerExited.class,
            e -> assertThat(e.reason()).isEqualTo(ExitReason.killed()));
  }
}

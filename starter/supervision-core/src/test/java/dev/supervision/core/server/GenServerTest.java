package dev.supervision.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Await;
import dev.supervision.core.process.Down;
import dev.supervision.core.process.Exit;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.EchoServer.Block;
import dev.supervision.core.server.EchoServer.CallSelf;
import dev.supervision.core.server.EchoServer.Crash;
import dev.supervision.core.server.EchoServer.Defer;
import dev.supervision.core.server.EchoServer.Event;
import dev.supervision.core.server.EchoServer.Monitor;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class GenServerTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private final Node node = Node.create("server-test");
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  private Pid startEcho() {
    return GenServer.start(
        node, () -> new EchoServer(events), StartOptions.DEFAULTS.withLabel("echo"));
  }

  /* Calls on a thread of its own; the future holds the reply or the CallException. */
  private static CompletableFuture<Object> callAsync(Pid server, Object request, Duration timeout) {
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              try {
                Object reply = GenServer.call(server, request, timeout);
                outcome.complete(reply);
              } catch (RuntimeException e) {
                outcome.complete(e);
              }
            });
    return outcome;
  }

  private static void awaitEntered(Block block) throws InterruptedException {
    assertThat(block.entered().await(5, TimeUnit.SECONDS)).isTrue();
  }

  private boolean terminated() {
    return events.stream().anyMatch(e -> e.kind().equals("terminate"));
  }

  @Nested
  final class Call {

    @Test
    void returnsTheReply() {
      Pid pid = startEcho();

      assertThat((Object) GenServer.call(pid, "hello")).isEqualTo("hello");
      assertThat((Object) GenServer.call(pid, 42, Duration.ofSeconds(1))).isEqualTo(42);
      assertThat((Object) GenServer.call(pid, ReplyNull.INSTANCE)).isNull();
    }

    @Test
    void aDeferredReplyReachesTheCallerWhenALaterMessageSendsIt() {
      Pid pid = startEcho();
      CompletableFuture<Object> reply = callAsync(pid, Defer.INSTANCE, LONG);
      await().atMost(Await.TIMEOUT).until(() -> events.contains(new Event("deferred", true)));
      assertThat(reply).isNotDone();

      GenServer.cast(pid, new ReplyDeferred("later"));

      assertThat(Await.result(reply)).isEqualTo("later");
      await().atMost(Await.TIMEOUT).until(() -> events.contains(new Event("late reply", true)));
    }

    @Test
    void aTimeoutFailsTheCallWhileTheServerKeepsRunningAndDropsTheLateReply() {
      Pid pid = startEcho();

      assertThatThrownBy(() -> GenServer.call(pid, Defer.INSTANCE, Duration.ofMillis(50)))
          .isInstanceOfSatisfying(
              CallException.Timeout.class,
              e -> {
                assertThat(e.timeout()).isEqualTo(Duration.ofMillis(50));
                assertThat(e.request()).isEqualTo(Defer.INSTANCE);
                assertThat(e.server()).isEqualTo(pid);
              });
      assertThat(pid.isAlive()).isTrue();

      GenServer.cast(pid, new ReplyDeferred("too late"));

      assertThat((Object) GenServer.call(pid, "next")).isEqualTo("next");
      assertThat(events).contains(new Event("late reply", false));
    }

    @Test
    void aZeroTimeoutGivesUpAtOnceUnlessTheReplyIsAlreadyThere() {
      Pid pid = startEcho();

      assertThatThrownBy(() -> GenServer.call(pid, Defer.INSTANCE, Duration.ZERO))
          .isInstanceOf(CallException.Timeout.class);
      assertThat((Object) GenServer.call(pid, "alive")).isEqualTo("alive");
    }

    @Test
    void badArgumentsAreRejected() {
      Pid pid = startEcho();

      assertThatThrownBy(() -> GenServer.call(pid, "x", Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("timeout must be >= 0 but was PT-0.001S");
      assertThatThrownBy(() -> GenServer.call(pid, nullObject()))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> GenServer.cast(pid, nullObject()))
          .isInstanceOf(NullPointerException.class);
    }

    @SuppressWarnings("NullAway") // null on purpose
    private Object nullObject() {
      return null;
    }

    @Test
    void callingItselfFailsAtOnceWithCallingSelf() {
      Pid pid = startEcho();

      assertThat((Object) GenServer.call(pid, CallSelf.INSTANCE))
          .isEqualTo(CallException.CallingSelf.class);
      assertThat((Object) GenServer.call(pid, StopSelf.INSTANCE))
          .isEqualTo(CallException.CallingSelf.class);
      assertThat(pid.isAlive()).isTrue();
    }

    @Test
    void anInterruptedCallerGetsInterruptedWithItsFlagSet() throws Exception {
      Pid pid = startEcho();
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      Thread caller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      GenServer.call(pid, Defer.INSTANCE, GenServer.INFINITY);
                      outcome.complete("replied");
                    } catch (CallException e) {
                      outcome.complete(
                          List.of(e.getClass(), Thread.currentThread().isInterrupted()));
                    }
                  });
      await().atMost(Await.TIMEOUT).until(() -> events.contains(new Event("deferred", true)));

      caller.interrupt();

      assertThat(Await.result(outcome)).isEqualTo(List.of(CallException.Interrupted.class, true));
      assertThat(pid.isAlive()).isTrue();
    }

    @Test
    void manyConcurrentCallersGetTheirOwnReplies() throws Exception {
      Pid pid = startEcho();
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
                    Object reply = GenServer.call(pid, request, LONG);
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
      Pid pid = startEcho();
      GenServer.stop(pid);

      assertThatThrownBy(() -> GenServer.call(pid, "anyone?"))
          .isInstanceOfSatisfying(
              CallException.NoProc.class,
              e -> {
                assertThat(e.server()).isEqualTo(pid);
                assertThat(e.request()).isEqualTo("anyone?");
              });
    }

    @Test
    void aServerCrashingDuringTheCallFailsItWithServerExitedCarryingTheCrash() {
      Pid pid = startEcho();
      IllegalStateException boom = new IllegalStateException("boom");

      assertThatThrownBy(() -> GenServer.call(pid, new Crash(boom)))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(boom)))
          .hasCause(boom);

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.crashed(boom));
      assertThat(events).contains(new Event("terminate", ExitReason.crashed(boom)));
    }

    @Test
    void callsQueuedBehindACrashFailWithServerExitedNotATimeout() throws Exception {
      Pid pid = startEcho();
      IllegalStateException boom = new IllegalStateException("boom");
      Block block = new Block(boom);
      CompletableFuture<Object> first = callAsync(pid, block, LONG);
      awaitEntered(block);
      List<CompletableFuture<Object>> queued = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        queued.add(callAsync(pid, "queued " + i, LONG));
      }
      await().atMost(Await.TIMEOUT).until(() -> pid.mailboxDepth() == 3);

      block.release().countDown();

      assertThat(Await.result(first))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(boom)));
      for (CompletableFuture<Object> call : queued) {
        assertThat(Await.result(call))
            .isInstanceOfSatisfying(
                CallException.ServerExited.class,
                e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(boom)));
      }
    }

    @Test
    void deferredCallsFailWithServerExitedWhenTheServerCrashes() {
      Pid pid = startEcho();
      CompletableFuture<Object> deferred = callAsync(pid, Defer.INSTANCE, LONG);
      await().atMost(Await.TIMEOUT).until(() -> events.contains(new Event("deferred", true)));
      IllegalStateException boom = new IllegalStateException("boom");

      GenServer.cast(pid, new Crash(boom));

      assertThat(Await.result(deferred))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(boom)));
    }

    @Test
    void aCallLeftUnansweredByAStoppingServerFailsWithItsReason() {
      Pid pid = startEcho();
      CompletableFuture<Object> deferred = callAsync(pid, Defer.INSTANCE, LONG);
      await().atMost(Await.TIMEOUT).until(() -> events.contains(new Event("deferred", true)));

      GenServer.stop(pid);

      assertThat(Await.result(deferred))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.normal()));
    }

    @Test
    void aServerKilledWhileHandlingACallFailsTheCallerWithKilledAndSkipsTerminate()
        throws Exception {
      Pid pid = startEcho();
      Block block = new Block();
      CompletableFuture<Object> call = callAsync(pid, block, LONG);
      awaitEntered(block);

      node.kill(pid);

      assertThat(Await.result(call))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.killed()));
      await().atMost(Await.TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(terminated()).isFalse();
      assertThat(pid.exitReason()).contains(ExitReason.killed());
    }

    @Test
    void aCallbackThrowingAnErrorCrashesTheServerWithThatError() {
      AssertionError failure = new AssertionError("broken");
      Server erroring =
          new EchoServer(events) {
            @Override
            public void handleCall(Object request, ReplyTo replyTo) {
              throw failure;
            }
          };
      Pid broken = GenServer.start(node, () -> erroring);

      assertThatThrownBy(() -> GenServer.call(broken, "anything"))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.crashed(failure)));
      assertThat(Await.exit(broken)).isEqualTo(ExitReason.crashed(failure));
      assertThat(events).contains(new Event("terminate", ExitReason.crashed(failure)));
    }
  }

  @Nested
  final class Cast {

    @Test
    void castsAreHandledInOrderWithCalls() {
      Pid pid = startEcho();

      GenServer.cast(pid, "a");
      GenServer.cast(pid, "b");
      GenServer.call(pid, "sync");

      assertThat(events).endsWith(new Event("cast", "a"), new Event("cast", "b"));
    }

    @Test
    void aCastNeverBlocksEvenWhenTheServerIsBusy() throws Exception {
      Pid pid = startEcho();
      Block block = new Block();
      CompletableFuture<Object> busy = callAsync(pid, block, LONG);
      awaitEntered(block);

      for (int i = 0; i < 10_000; i++) {
        GenServer.cast(pid, i);
      }

      assertThat(pid.mailboxDepth()).isEqualTo(10_000);
      block.release().countDown();
      assertThat(Await.result(busy)).isEqualTo("released");
      // The 10,000 casts, each recorded by copying the events list, take seconds on a loaded
      // machine: the call waits for them all, it does not time them.
      assertThat((Object) GenServer.call(pid, "sync", LONG)).isEqualTo("sync");
      assertThat(events).endsWith(new Event("cast", 9_999));
    }

    @Test
    void aCastToAnExitedServerIsDroppedSilently() {
      Pid pid = startEcho();
      GenServer.stop(pid);

      GenServer.cast(pid, "nobody");

      assertThat(pid.mailboxDepth()).isZero();
      assertThat(events).doesNotContain(new Event("cast", "nobody"));
    }
  }

  @Nested
  final class Info {

    @Test
    void plainSendsGoToHandleInfo() {
      Pid pid = startEcho();

      pid.send("hello");
      GenServer.call(pid, "sync");

      assertThat(events).contains(new Event("info", "hello"));
    }

    @Test
    void downNoticesGoToHandleInfo() {
      Pid pid = startEcho();
      Pid target = node.spawn(self -> self.receive());
      MonitorRef ref = GenServer.call(pid, new Monitor(target));

      target.send("stop");

      await()
          .atMost(Await.TIMEOUT)
          .until(
              () -> events.contains(new Event("info", new Down(ref, target, ExitReason.normal()))));
      assertThat(pid.isAlive()).isTrue();
    }

    @Test
    void exitSignalsFromOthersThanTheParentGoToHandleInfoWhileTrapping() {
      Pid pid = GenServer.start(node, () -> new EchoServer(events, true), StartOptions.DEFAULTS);

      node.exit(pid, ExitReason.shutdown());
      GenServer.call(pid, "sync");

      assertThat(events).contains(new Event("info", new Exit(null, ExitReason.shutdown())));
      assertThat(terminated()).isFalse();
    }
  }

  @Nested
  final class Stop {

    @Test
    void stopRunsTerminateAndTheServerExitsWithTheReason() {
      Pid pid = startEcho();

      GenServer.stop(pid, ExitReason.shutdown("bye"), Await.TIMEOUT);

      assertThat(pid.exitReason()).contains(ExitReason.shutdown("bye"));
      assertThat(events).endsWith(new Event("terminate", ExitReason.shutdown("bye")));
    }

    @Test
    void stopWithoutAReasonStopsNormally() {
      Pid pid = startEcho();

      GenServer.stop(pid);

      assertThat(pid.exitReason()).contains(ExitReason.normal());
      assertThat(events).endsWith(new Event("terminate", ExitReason.normal()));
    }

    @Test
    void stoppingAnExitedServerFailsWithNoProc() {
      Pid pid = startEcho();
      GenServer.stop(pid);

      assertThatThrownBy(() -> GenServer.stop(pid)).isInstanceOf(CallException.NoProc.class);
    }

    @Test
    void stopTimesOutAndKillsAServerThatDoesNotExitInTime() throws Exception {
      Pid pid = startEcho();
      Block block = new Block();
      CompletableFuture<Object> busy = callAsync(pid, block, LONG);
      awaitEntered(block);

      assertThatThrownBy(() -> GenServer.stop(pid, ExitReason.normal(), Duration.ofMillis(50)))
          .isInstanceOf(CallException.Timeout.class);

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.killed());
      block.release().countDown();
      assertThat(Await.result(busy))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.killed()));
    }

    @Test
    void serverContextStopFromAHandlerRunsTerminateAndExitsWithTheReason() {
      Pid pid = startEcho();

      GenServer.cast(pid, new StopWith(ExitReason.shutdown("enough")));

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.shutdown("enough"));
      assertThat(events).endsWith(new Event("terminate", ExitReason.shutdown("enough")));
    }

    @Test
    void aHandlerCanReplyAndThenStop() {
      Pid pid = startEcho();

      assertThat((Object) GenServer.call(pid, new ReplyThenStop("bye", ExitReason.normal())))
          .isEqualTo("bye");

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.normal());
      assertThat(events).endsWith(new Event("terminate", ExitReason.normal()));
    }

    @Test
    void callsQueuedWhenTheServerStopsItselfFailWithItsReason() throws Exception {
      Pid pid = startEcho();
      Block block = new Block();
      CompletableFuture<Object> busy = callAsync(pid, block, LONG);
      awaitEntered(block);
      GenServer.cast(pid, new StopWith(ExitReason.shutdown("enough")));
      CompletableFuture<Object> queued = callAsync(pid, "too late", LONG);
      await().atMost(Await.TIMEOUT).until(() -> pid.mailboxDepth() == 2);

      block.release().countDown();

      assertThat(Await.result(busy)).isEqualTo("released");
      assertThat(Await.result(queued))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e -> assertThat(e.reason()).isEqualTo(ExitReason.shutdown("enough")));
    }

    @Test
    void aTerminateThatThrowsDoesNotChangeTheExitReason() {
      Pid pid =
          GenServer.start(
              node,
              () ->
                  new EchoServer(events) {
                    @Override
                    public void terminate(ExitReason reason) {
                      throw new IllegalStateException("cleanup failed");
                    }
                  });

      GenServer.stop(pid, ExitReason.shutdown(), Await.TIMEOUT);

      assertThat(pid.exitReason()).contains(ExitReason.shutdown());
    }
  }

  @Nested
  final class Terminate {

    /* A trapping parent that starts a linked server, reports it and then obeys orders. */
    private Pid parentOf(CompletableFuture<Pid> server, boolean serverTraps) {
      return node.spawn(
          self -> {
            self.trapExits(true);
            Pid pid = GenServer.startLink(() -> new EchoServer(events, serverTraps));
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
      Pid pid = Await.result(server);

      parent.send(ExitReason.shutdown());

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.shutdown());
      assertThat(events).endsWith(new Event("terminate", ExitReason.shutdown()));
      assertThat(parent.isAlive()).isTrue();
    }

    @Test
    void aTrappingServerWhoseParentCrashesRunsTerminateWithTheCrash() {
      CompletableFuture<Pid> server = new CompletableFuture<>();
      Pid parent = parentOf(server, true);
      Pid pid = Await.result(server);
      IllegalStateException boom = new IllegalStateException("parent failed");

      parent.send(boom);

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.crashed(boom));
      assertThat(events).endsWith(new Event("terminate", ExitReason.crashed(boom)));
    }

    @Test
    void aNonTrappingServerKilledByItsLinkedParentDoesNotRunTerminate() {
      CompletableFuture<Pid> server = new CompletableFuture<>();
      Pid parent = parentOf(server, false);
      Pid pid = Await.result(server);
      IllegalStateException boom = new IllegalStateException("parent failed");

      parent.send(boom);

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.crashed(boom));
      await().atMost(Await.TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(terminated()).isFalse();
    }

    @Test
    void aNonTrappingServerGivenAnExitSignalByItsParentDoesNotRunTerminate() {
      CompletableFuture<Pid> server = new CompletableFuture<>();
      Pid parent = parentOf(server, false);
      Pid pid = Await.result(server);

      parent.send(ExitReason.shutdown());

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.shutdown());
      await().atMost(Await.TIMEOUT).until(() -> node.processCount() == 1);
      assertThat(terminated()).isFalse();
    }

    @Test
    void aKilledServerDoesNotRunTerminateEvenWhenTrapping() {
      Pid pid = GenServer.start(node, () -> new EchoServer(events, true), StartOptions.DEFAULTS);

      node.kill(pid);

      assertThat(Await.exit(pid)).isEqualTo(ExitReason.killed());
      await().atMost(Await.TIMEOUT).until(() -> node.processCount() == 0);
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
      Pid pid = startEcho();

      GenServer.call(pid, "ok");
      assertThatThrownBy(() -> GenServer.call(pid, Defer.INSTANCE, Duration.ofMillis(20)))
          .isInstanceOf(CallException.Timeout.class);
      assertThatThrownBy(() -> GenServer.call(pid, new Crash(new IllegalStateException("x"))))
          .isInstanceOf(CallException.ServerExited.class);
      Await.exit(pid);
      assertThatThrownBy(() -> GenServer.call(pid, "gone"))
          .isInstanceOf(CallException.NoProc.class);

      assertThat(seen).containsExactly("echo OK", "echo TIMEOUT", "echo EXITED", "echo NOPROC");
    }

    @Test
    void removingTheObserverStopsTheReports() {
      List<String> seen = new CopyOnWriteArrayList<>();
      GenServer.observeCalls(node, (server, outcome, nanos) -> seen.add(outcome.name()));
      Pid pid = startEcho();
      GenServer.call(pid, "seen");

      GenServer.observeCalls(node, null);
      GenServer.call(pid, "unseen");

      assertThat(seen).containsExactly("OK");
    }

    @Test
    void aFailingObserverDoesNotChangeTheOutcomeOfTheCall() {
      GenServer.observeCalls(
          node,
          (server, outcome, nanos) -> {
            throw new IllegalStateException("observer failed");
          });
      Pid pid = startEcho();

      assertThat((Object) GenServer.call(pid, "still answered")).isEqualTo("still answered");
      assertThatThrownBy(() -> GenServer.call(pid, Defer.INSTANCE, Duration.ZERO))
          .isInstanceOf(CallException.Timeout.class);
    }

    @Test
    void seesCallingSelf() {
      List<String> seen = new CopyOnWriteArrayList<>();
      GenServer.observeCalls(node, (server, outcome, nanos) -> seen.add(outcome.name()));
      Pid pid = startEcho();

      GenServer.call(pid, CallSelf.INSTANCE);

      assertThat(seen).containsExactly("CALLING_SELF", "OK");
    }
  }

  @Test
  void closingTheNodeFailsTheCallsInFlight() throws Exception {
    Pid pid = startEcho();
    Block block = new Block();
    CompletableFuture<Object> call = callAsync(pid, block, LONG);
    awaitEntered(block);

    node.close();

    assertThat(node.processCount()).isZero();
    assertThat(Await.result(call))
        .isInstanceOfSatisfying(
            CallException.ServerExited.class,
            e -> assertThat(e.reason()).isEqualTo(ExitReason.killed()));
  }
}

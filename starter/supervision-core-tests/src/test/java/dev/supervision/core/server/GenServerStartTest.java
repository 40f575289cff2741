package dev.supervision.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Await;
import dev.supervision.core.process.Down;
import dev.supervision.core.process.Exit;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.EchoServer.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class GenServerStartTest {
  private final Node node = Node.create("server-start-test");
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  /* A server whose init records its pid in `started`, then throws `failure`. */
  private static Supplier<Server> failingInit(AtomicReference<Pid> started, Throwable failure) {
    return () ->
        new Server() {
          @Override
          public void init(ServerContext context) throws Exception {
            started.set(context.self());
            if (failure instanceof Exception e) {
              throw e;
            }
            throw (Error) failure;
          }
        };
  }

  @Nested
  final class Start {

    @Test
    void initRunsBeforeStartReturns() {
      Pid pid = GenServer.start(node, () -> new EchoServer(events));

      assertThat(events).containsExactly(new Event("init", pid));
      assertThat(pid.isAlive()).isTrue();
      assertThat(pid.label()).contains("EchoServer");
      assertThat(node.links(pid)).isEmpty();
    }

    @Test
    void optionsGiveTheLabel() {
      Pid pid =
          GenServer.start(
              node, () -> new EchoServer(events), StartOptions.DEFAULTS.withLabel("echo"));

      assertThat(pid.label()).contains("echo");
    }

    @Test
    void initThrowingFailsTheStartWithTheCauseAndTheProcessIsGone() {
      IOException boom = new IOException("boom");
      AtomicReference<Pid> started = new AtomicReference<>();

      assertThatThrownBy(() -> GenServer.start(node, failingInit(started, boom)))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.alreadyStarted()).isEmpty())
          .hasCause(boom);

      Pid pid = started.get();
      assertThat(pid.isAlive()).isFalse();
      assertThat(pid.exitReason()).contains(ExitReason.crashed(boom));
      await().atMost(Await.TIMEOUT).until(() -> node.processCount() == 0);
    }

    @Test
    void initThrowingAnErrorFailsTheStartAtOnceWithTheCause() {
      AssertionError failure = new AssertionError("init failed");
      AtomicReference<Pid> started = new AtomicReference<>();
      StartOptions patient = StartOptions.DEFAULTS.withInitTimeout(Duration.ofMinutes(1));

      CompletableFuture<Throwable> failed =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  GenServer.start(node, failingInit(started, failure), patient);
                  return new AssertionError("started");
                } catch (StartException e) {
                  return e;
                }
              });

      assertThat(Await.result(failed)).isInstanceOf(StartException.class).hasCause(failure);
      assertThat(Await.exit(started.get())).isEqualTo(ExitReason.crashed(failure));
    }

    @Test
    @SuppressWarnings("NullAway") // a factory returning null on purpose
    void aFactoryReturningNullFailsTheStart() {
      assertThatThrownBy(() -> GenServer.start(node, () -> null))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("returned null");
      assertThat(node.processCount()).isZero();
    }

    @Test
    void aFactoryThrowingFailsTheStartWithTheCause() {
      IllegalStateException boom = new IllegalStateException("no server today");

      assertThatThrownBy(
              () ->
                  GenServer.start(
                      node,
                      () -> {
                        throw boom;
                      }))
          .isInstanceOf(StartException.class)
          .hasCause(boom);
      assertThat(node.processCount()).isZero();
    }

    @Test
    void initThatStopsFailsTheStartAndSkipsTerminate() {
      AtomicReference<Pid> started = new AtomicReference<>();
      Supplier<Server> stopping =
          () ->
              new EchoServer(events) {
                @Override
                public void init(ServerContext context) {
                  started.set(context.self());
                  context.stop(ExitReason.shutdown("not now"));
                }
              };

      assertThatThrownBy(() -> GenServer.start(node, stopping))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("not now");

      assertThat(Await.exit(started.get())).isEqualTo(ExitReason.shutdown("not now"));
      await().atMost(Await.TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(events).isEmpty();
    }

    @Test
    void initTakingTooLongFailsTheStartAndKillsTheServer() {
      AtomicReference<Pid> started = new AtomicReference<>();
      CountDownLatch never = new CountDownLatch(1);
      Supplier<Server> slow =
          () ->
              new EchoServer(events) {
                @Override
                public void init(ServerContext context) throws InterruptedException {
                  started.set(context.self());
                  never.await();
                }
              };

      assertThatThrownBy(
              () ->
                  GenServer.start(
                      node, slow, StartOptions.DEFAULTS.withInitTimeout(Duration.ofMillis(50))))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("did not finish within");

      assertThat(Await.exit(started.get())).isEqualTo(ExitReason.killed());
      await().atMost(Await.TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(events).isEmpty();
    }

    @Test
    void aServerKilledDuringInitFailsTheStartAtOnce() {
      CompletableFuture<Pid> initializing = new CompletableFuture<>();
      Supplier<Server> waiting =
          () ->
              new EchoServer(events) {
                @Override
                public void init(ServerContext context) {
                  initializing.complete(context.self());
                  context.process().receive();
                }
              };
      StartOptions patient = StartOptions.DEFAULTS.withInitTimeout(Duration.ofMinutes(1));
      CompletableFuture<Throwable> failed =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  GenServer.start(node, waiting, patient);
                  return new AssertionError("started");
                } catch (StartException e) {
                  return e;
                }
              });

      node.kill(Await.result(initializing));

      assertThat(Await.result(failed))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("killed");
    }

    @Test
    void startOptionsRejectANonPositiveInitTimeout() {
      assertThatThrownBy(() -> StartOptions.DEFAULTS.withInitTimeout(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("initTimeout must be > 0 but was PT0S");
    }
  }

  @Nested
  final class StartLink {

    @Test
    void fromAThreadThatIsNoProcessThrowsIllegalStateException() {
      assertThatThrownBy(() -> GenServer.startLink(() -> new EchoServer(events)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("must be called from a process");
      assertThat(node.processCount()).isZero();
    }

    @Test
    void linksTheServerToTheCallingProcess() {
      List<Object> seen =
          Await.inProcess(
              node,
              self -> {
                Pid server = GenServer.startLink(() -> new EchoServer(events));
                return List.of(server, node.links(self.self()), node.links(server), self.self());
              });

      assertThat(seen.get(1)).isEqualTo(List.of(seen.get(0)));
      assertThat(seen.get(2)).isEqualTo(List.of(seen.get(3)));
    }

    @Test
    void aFailedStartLeavesTheCallerAliveAndUnlinked() {
      IOException boom = new IOException("boom");
      AtomicReference<Pid> started = new AtomicReference<>();

      List<Object> seen =
          Await.inProcess(
              node,
              self -> {
                try {
                  GenServer.startLink(failingInit(started, boom));
                  return List.of("started");
                } catch (StartException e) {
                  // The server has exited already (NoProc), and so signalled its links.
                  MonitorRef ref = self.monitor(started.get());
                  Down down =
                      (Down)
                          self.receive(m -> m instanceof Down d && d.ref() == ref, Await.TIMEOUT);
                  return List.of(
                      e.getCause() == boom,
                      down == null ? "no down" : down.reason(),
                      self.self().isAlive(),
                      node.links(self.self()));
                }
              });

      assertThat(seen).containsExactly(true, ExitReason.noProc(), true, List.of());
      assertThat(started.get().exitReason()).contains(ExitReason.crashed(boom));
    }

    @Test
    void anInitThrowingAnErrorSparesTheCaller() {
      AssertionError failure = new AssertionError("init failed");
      AtomicReference<Pid> started = new AtomicReference<>();
      StartOptions patient = StartOptions.DEFAULTS.withInitTimeout(Duration.ofMinutes(1));

      List<Object> seen =
          Await.inProcess(
              node,
              self -> {
                try {
                  GenServer.startLink(failingInit(started, failure), patient);
                  return List.of("started");
                } catch (StartException e) {
                  MonitorRef ref = self.monitor(started.get());
                  Down down =
                      (Down)
                          self.receive(m -> m instanceof Down d && d.ref() == ref, Await.TIMEOUT);
                  return List.of(
                      e.getCause() == failure,
                      down == null ? "no down" : down.reason(),
                      self.self().isAlive());
                }
              });

      assertThat(seen).containsExactly(true, ExitReason.noProc(), true);
      assertThat(started.get().exitReason()).contains(ExitReason.crashed(failure));
    }
  }

  @Nested
  final class Ignore {
    private final AtomicReference<Pid> started = new AtomicReference<>();

    /* A server whose init records its pid in `started`, then runs `answer` on its context. */
    private Supplier<Server> initThat(Consumer<ServerContext> answer) {
      return () ->
          new EchoServer(events) {
            @Override
            public void init(ServerContext context) {
              started.set(context.self());
              answer.accept(context);
            }
          };
    }

    @Test
    void anInitThatIgnoresEndsTheStartInStartIgnoredAfterTheProcessExitedNormalWithoutTerminate() {
      assertThatThrownBy(() -> GenServer.start(node, initThat(ServerContext::ignore)))
          .isInstanceOf(StartIgnoredException.class)
          .hasMessageContaining("init ignored");

      assertThat(started.get().exitReason()).contains(ExitReason.normal());
      assertThat(events).isEmpty();
      await().atMost(Await.TIMEOUT).until(() -> node.processCount() == 0);
    }

    @Test
    void startLinkOfAServerThatIgnoresLeavesATrappingCallerUnlinkedWithNoExitMessage() {
      List<Object> seen =
          Await.inProcess(
              node,
              self -> {
                self.trapExits(true);
                try {
                  GenServer.startLink(initThat(ServerContext::ignore));
                  return List.of("started");
                } catch (StartIgnoredException e) {
                  Object exit = self.receive(m -> m instanceof Exit, Duration.ZERO);
                  return List.of(exit == null ? "no exit message" : exit, node.links(self.self()));
                }
              });

      assertThat(seen).containsExactly("no exit message", List.of());
      assertThat(started.get().exitReason()).contains(ExitReason.normal());
    }

    @Test
    void theNameOfAnIgnoredStartIsFreeAsSoonAsTheStartReturns() {
      TestName name = new TestName(new ConcurrentHashMap<>(), "ignorer");
      assertThatThrownBy(
              () ->
                  GenServer.start(node, initThat(ServerContext::ignore), StartOptions.named(name)))
          .isInstanceOf(StartIgnoredException.class);

      Pid pid = GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));

      assertThat(name.whereis()).isEqualTo(pid);
    }

    /* What the start of a server whose init runs `answer` throws. */
    private Throwable startFailure(Consumer<ServerContext> answer) {
      return catchThrowable(() -> GenServer.start(node, initThat(answer)));
    }

    @Test
    void ofStopAndIgnoreInInitTheOneCalledLastDecides() {
      Throwable ignored =
          startFailure(
              c -> {
                c.stop(ExitReason.shutdown("first"));
                c.ignore();
              });

      assertThat(ignored).isInstanceOf(StartIgnoredException.class);
      assertThat(started.get().exitReason()).contains(ExitReason.normal());

      Throwable stopped =
          startFailure(
              c -> {
                c.ignore();
                c.stop(ExitReason.shutdown("last"));
              });

      assertThat(stopped).isInstanceOf(StartException.class).hasMessageContaining("last");
      assertThat(started.get().exitReason()).contains(ExitReason.shutdown("last"));
    }

    @Test
    void anInitThatIgnoresAndThenThrowsFailsTheStartWithTheCause() {
      IllegalStateException boom = new IllegalStateException("boom");

      Throwable failure =
          startFailure(
              c -> {
                c.ignore();
                throw boom;
              });

      assertThat(failure).isInstanceOf(StartException.class).hasCause(boom);
    }

    @Test
    void ignoreOutsideInitThrowsIllegalStateAndTheServerRunsOn() {
      Pid pid =
          GenServer.start(
              node,
              () ->
                  new Server() {
                    private @Nullable ServerContext context;

                    @Override
                    public void init(ServerContext context) {
                      this.context = context;
                    }

                    @Override
                    public void handleCall(Object request, ReplyTo replyTo) {
                      try {
                        Objects.requireNonNull(context).ignore();
                        replyTo.reply("ignored");
                      } catch (IllegalStateException e) {
                        replyTo.reply(e.getMessage());
                      }
                    }
                  });

      assertThat((String) GenServer.call(pid, "ignore?")).contains("answers init only");
      assertThat(pid.isAlive()).isTrue();
    }
  }

  @Nested
  final class Names {
    private final ConcurrentHashMap<String, Pid> table = new ConcurrentHashMap<>();
    private final TestName name = new TestName(table, "echo");

    @Test
    void aNamedServerIsReachableByItsName() {
      Pid pid = GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));

      assertThat(name.whereis()).isEqualTo(pid);
      assertThat((Object) GenServer.call(name, "ping")).isEqualTo("ping");
      GenServer.cast(name, "hello");
      assertThat((Object) GenServer.call(name, "sync")).isEqualTo("sync");
      assertThat(events).contains(new Event("cast", "hello"));
    }

    @Test
    void aNameAlreadyTakenFailsTheStartWithTheHolder() {
      Pid first = GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));

      assertThatThrownBy(
              () -> GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name)))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.alreadyStarted()).contains(first));

      assertThat(events).containsExactly(new Event("init", first));
      await().atMost(Await.TIMEOUT).until(() -> node.processCount() == 1);
      assertThat(name.whereis()).isEqualTo(first);
      assertThat((Object) GenServer.call(name, "still here")).isEqualTo("still here");
    }

    @Test
    void aNameTakenFromAProcessLeavesTheCallerAlive() {
      Pid first = GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));

      List<Object> seen =
          Await.inProcess(
              node,
              self -> {
                try {
                  GenServer.startLink(() -> new EchoServer(events), StartOptions.named(name));
                  return List.of("started");
                } catch (StartException e) {
                  return List.of(e.alreadyStarted().orElseThrow(), node.links(self.self()));
                }
              });

      assertThat(seen).containsExactly(first, List.of());
    }

    @Test
    void theNameIsFreeAgainOnceTheServerHasStopped() {
      Pid first = GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));
      GenServer.stop(name);

      Pid second = GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));

      assertThat(second).isNotEqualTo(first);
      assertThat(name.whereis()).isEqualTo(second);
    }

    @Test
    void theNameOfAStartThatFailedIsFreeAsSoonAsTheStartReturns() {
      for (int i = 0; i < 50; i++) {
        AtomicReference<Pid> started = new AtomicReference<>();
        IOException boom = new IOException("boom " + i);
        assertThatThrownBy(
                () -> GenServer.start(node, failingInit(started, boom), StartOptions.named(name)))
            .hasCause(boom);

        Pid pid = GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));

        assertThat(name.whereis()).isEqualTo(pid);
        GenServer.stop(pid);
      }
    }

    @Test
    void callsAndCastsToAFreeName() {
      assertThatThrownBy(() -> GenServer.call(name, "anyone?"))
          .isInstanceOfSatisfying(
              CallException.NoProc.class,
              e -> {
                assertThat(e.server()).isSameAs(name);
                assertThat(e.request()).isEqualTo("anyone?");
              });
      GenServer.cast(name, "dropped");
      assertThatThrownBy(() -> GenServer.stop(name)).isInstanceOf(CallException.NoProc.class);
    }
  }
}

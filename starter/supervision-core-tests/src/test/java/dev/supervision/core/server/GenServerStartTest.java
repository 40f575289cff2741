package dev.supervision.core.server;

import static dev.supervision.core.server.EchoServer.echo;
import static dev.supervision.test.Exits.awaitExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Down;
import dev.supervision.core.process.Exit;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Futures;
import dev.supervision.core.process.InProcess;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.EchoServer.Echo;
import dev.supervision.core.server.EchoServer.Event;
import dev.supervision.core.server.EchoServer.IgnoreLate;
import dev.supervision.core.server.EchoServer.Message;
import dev.supervision.core.server.EchoServer.Note;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class GenServerStartTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Node node = Node.create("server-start-test");
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  /* A server whose init records its pid in `started`, then throws `failure`. */
  private static Supplier<Server<Message>> failingInit(
      AtomicReference<Pid> started, Throwable failure) {
    return () ->
        new Server<Message>() {
          @Override
          public void init(ServerContext<Message> context) throws Exception {
            started.set(context.process().self());
            if (failure instanceof Exception e) {
              throw e;
            }
            throw (Error) failure;
          }

          @Override
          public void handle(Message message) {
            // never reached: init fails
          }
        };
  }

  @Nested
  final class Start {

    @Test
    void initRunsBeforeStartReturns() {
      ServerRef<Message> echo = GenServer.start(node, () -> new EchoServer(events));
      Pid pid = echo.pid();

      assertThat(events).containsExactly(new Event("init", echo));
      assertThat(pid.isAlive()).isTrue();
      assertThat(pid.label()).contains("EchoServer");
      assertThat(node.links(pid)).isEmpty();
    }

    @Test
    void optionsGiveTheLabel() {
      Pid pid =
          GenServer.start(
                  node, () -> new EchoServer(events), StartOptions.DEFAULTS.withLabel("echo"))
              .pid();

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
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
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

      assertThat(Futures.result(failed)).isInstanceOf(StartException.class).hasCause(failure);
      assertThat(awaitExit(started.get())).isEqualTo(ExitReason.crashed(failure));
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
      Supplier<EchoServer> stopping =
          () ->
              new EchoServer(events) {
                @Override
                public void init(ServerContext<Message> context) {
                  started.set(context.process().self());
                  context.stop(ExitReason.shutdown("not now"));
                }
              };

      assertThatThrownBy(() -> GenServer.start(node, stopping))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("not now");

      assertThat(awaitExit(started.get())).isEqualTo(ExitReason.shutdown("not now"));
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(events).isEmpty();
    }

    @Test
    void initTakingTooLongFailsTheStartAndKillsTheServer() {
      AtomicReference<Pid> started = new AtomicReference<>();
      CountDownLatch never = new CountDownLatch(1);
      Supplier<EchoServer> slow =
          () ->
              new EchoServer(events) {
                @Override
                public void init(ServerContext<Message> context) throws InterruptedException {
                  started.set(context.process().self());
                  never.await();
                }
              };

      assertThatThrownBy(
              () ->
                  GenServer.start(
                      node, slow, StartOptions.DEFAULTS.withInitTimeout(Duration.ofMillis(50))))
          .isInstanceOf(StartException.class)
          .hasMessageContaining("did not finish within");

      assertThat(awaitExit(started.get())).isEqualTo(ExitReason.killed());
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(events).isEmpty();
    }

    @Test
    void aServerKilledDuringInitFailsTheStartAtOnce() {
      CompletableFuture<Pid> initializing = new CompletableFuture<>();
      Supplier<EchoServer> waiting =
          () ->
              new EchoServer(events) {
                @Override
                public void init(ServerContext<Message> context) {
                  initializing.complete(context.process().self());
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

      node.kill(Futures.result(initializing));

      assertThat(Futures.result(failed))
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
          InProcess.run(
              node,
              self -> {
                Pid server = GenServer.startLink(() -> new EchoServer(events)).pid();
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
          InProcess.run(
              node,
              self -> {
                try {
                  GenServer.startLink(failingInit(started, boom));
                  return List.of("started");
                } catch (StartException e) {
                  // The server has exited already (NoProc), and so signalled its links.
                  MonitorRef ref = self.monitor(started.get());
                  Object down = self.receive(m -> m instanceof Down d && d.ref() == ref, TIMEOUT);
                  return List.of(
                      e.getCause() == boom,
                      down instanceof Down d ? d.reason() : "no down",
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
          InProcess.run(
              node,
              self -> {
                try {
                  GenServer.startLink(failingInit(started, failure), patient);
                  return List.of("started");
                } catch (StartException e) {
                  MonitorRef ref = self.monitor(started.get());
                  Object down = self.receive(m -> m instanceof Down d && d.ref() == ref, TIMEOUT);
                  return List.of(
                      e.getCause() == failure,
                      down instanceof Down d ? d.reason() : "no down",
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
    private Supplier<EchoServer> initThat(Consumer<ServerContext<Message>> answer) {
      return () ->
          new EchoServer(events) {
            @Override
            public void init(ServerContext<Message> context) {
              started.set(context.process().self());
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
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
    }

    @Test
    void startLinkOfAServerThatIgnoresLeavesATrappingCallerUnlinkedWithNoExitMessage() {
      List<Object> seen =
          InProcess.run(
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

      Pid pid = GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name)).pid();

      assertThat(name.whereis()).isEqualTo(pid);
    }

    /* What the start of a server whose init runs `answer` throws. */
    private Throwable startFailure(Consumer<ServerContext<Message>> answer) {
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
      ServerRef<Message> echo = GenServer.start(node, () -> new EchoServer(events));

      String answer = echo.call(IgnoreLate::new);

      assertThat(answer).contains("answers init only");
      assertThat(echo.pid().isAlive()).isTrue();
    }
  }

  @Nested
  final class Names {
    private final ConcurrentHashMap<String, Pid> table = new ConcurrentHashMap<>();
    private final TestName name = new TestName(table, "echo");
    private final ServerRef<Message> byName = ServerRef.of(name);

    @Test
    void aNamedServerIsReachableByItsName() {
      Pid pid = GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name)).pid();

      assertThat(name.whereis()).isEqualTo(pid);
      assertThat(echo(byName, "ping")).isEqualTo("ping");
      byName.cast(new Note("hello"));
      assertThat(echo(byName, "sync")).isEqualTo("sync");
      assertThat(events).contains(new Event("cast", "hello"));
    }

    @Test
    void aNameAlreadyTakenFailsTheStartWithTheHolder() {
      ServerRef<Message> echo =
          GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));
      Pid first = echo.pid();

      assertThatThrownBy(
              () -> GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name)))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.alreadyStarted()).contains(first));

      assertThat(events).containsExactly(new Event("init", echo));
      await().atMost(TIMEOUT).until(() -> node.processCount() == 1);
      assertThat(name.whereis()).isEqualTo(first);
      assertThat(echo(byName, "still here")).isEqualTo("still here");
    }

    @Test
    void aNameTakenFromAProcessLeavesTheCallerAlive() {
      Pid first =
          GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name)).pid();

      List<Object> seen =
          InProcess.run(
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
      Pid first =
          GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name)).pid();
      byName.stop();

      Pid second =
          GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name)).pid();

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

        ServerRef<Message> echo =
            GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));

        assertThat(name.whereis()).isEqualTo(echo.pid());
        echo.stop();
      }
    }

    @Test
    void callsAndCastsToAFreeName() {
      assertThatThrownBy(() -> echo(byName, "anyone?"))
          .isInstanceOfSatisfying(
              CallException.NoProc.class,
              e -> {
                assertThat(e.server()).isSameAs(name);
                assertThat(e.request())
                    .isInstanceOfSatisfying(
                        Echo.class, m -> assertThat(m.value()).isEqualTo("anyone?"));
              });
      byName.cast(new Note("dropped"));
      assertThatThrownBy(byName::stop).isInstanceOf(CallException.NoProc.class);
    }
  }
}

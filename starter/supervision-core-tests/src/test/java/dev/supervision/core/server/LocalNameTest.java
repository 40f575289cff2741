package dev.supervision.core.server;

import static dev.supervision.core.server.EchoServer.echo;
import static dev.supervision.test.Exits.awaitExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.LocalName;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.EchoServer.Event;
import dev.supervision.core.server.EchoServer.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/* Node-local names (OTP's locally registered names): node.name("x") given to a start. */
final class LocalNameTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Node node = Node.create("local-names");
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  private ServerRef<Message> startNamed(String name) {
    return GenServer.start(node, () -> new EchoServer(events), StartOptions.named(node.name(name)));
  }

  @Nested
  final class Register {

    @Test
    void aServerStartedWithALocalNameHoldsItFromBeforeItsInit() {
      AtomicReference<Pid> holderSeenByInit = new AtomicReference<>();
      ServerRef<Message> echo =
          GenServer.start(
              node,
              () ->
                  new EchoServer(events) {
                    @Override
                    public void init(ServerContext<Message> context) throws Exception {
                      holderSeenByInit.set(node.name("echo").whereis());
                      super.init(context);
                    }
                  },
              StartOptions.named(node.name("echo")));

      assertThat(holderSeenByInit.get()).isEqualTo(echo.pid());
      assertThat(node.name("echo").whereis()).isEqualTo(echo.pid());
      assertThat(node.registeredNames()).isEqualTo(Map.of("echo", echo.pid()));
      assertThat(echo(ServerRef.of(node.name("echo")), "by name")).isEqualTo("by name");
    }

    @Test
    void aSecondStartUnderATakenNameFailsWithStartExceptionNamingTheHolder() {
      Pid holder = startNamed("echo").pid();

      assertThatThrownBy(() -> startNamed("echo"))
          .isInstanceOfSatisfying(
              StartException.class, e -> assertThat(e.alreadyStarted()).contains(holder))
          .hasMessageContaining("echo@local-names")
          .hasMessageContaining(holder.toString());

      await().atMost(TIMEOUT).until(() -> node.processCount() == 1);
      assertThat(node.name("echo").whereis()).isEqualTo(holder);
      assertThat(events).hasSize(1); // the second server's init never ran
    }

    @Test
    void aProcessOfAnotherNodeCannotTakeTheName() {
      try (Node other = Node.create("other")) {
        assertThatThrownBy(
                () ->
                    GenServer.start(
                        other, () -> new EchoServer(events), StartOptions.named(node.name("echo"))))
            .isInstanceOf(StartException.class)
            .rootCause()
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cannot take name 'echo' of node local-names");
        Pid stranger = other.spawn(self -> self.receive());

        assertThatThrownBy(() -> node.name("echo").register(stranger))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(node.name("echo").whereis()).isNull();
        assertThat(node.registeredNames()).isEmpty();
        assertThat(other.registeredNames()).isEmpty();
      }
    }

    @Test
    void aBlankNameIsRefused() {
      assertThatThrownBy(() -> node.name(" "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a local name must not be blank but was ' '");
    }
  }

  @Nested
  final class Release {

    @Test
    void theNameIsFreeAgainOnceItsHolderHasExited() {
      Pid holder = startNamed("echo").pid();

      node.kill(holder);
      assertThat(awaitExit(holder)).isEqualTo(ExitReason.killed());

      assertThat(node.name("echo").whereis()).isNull();
      assertThat(node.registeredNames()).isEmpty();
      assertThatThrownBy(() -> echo(ServerRef.of(node.name("echo")), "anyone?"))
          .isInstanceOf(CallException.NoProc.class);
      Pid next = startNamed("echo").pid();
      assertThat(node.name("echo").whereis()).isEqualTo(next);
    }

    @Test
    void registeredNamesListsTheLiveHoldersOnly() {
      ServerRef<Message> a = startNamed("a");
      ServerRef<Message> b = startNamed("b");
      GenServer.start(node, () -> new EchoServer(events));

      assertThat(node.registeredNames()).isEqualTo(Map.of("a", a.pid(), "b", b.pid()));

      a.stop();

      assertThat(node.registeredNames()).isEqualTo(Map.of("b", b.pid()));
    }
  }

  @Nested
  final class Identity {

    @Test
    void localNamesAreEqualWhenNodeAndNameAre() {
      try (Node other = Node.create("other")) {
        LocalName name = node.name("echo");

        assertThat(name)
            .isEqualTo(node.name("echo"))
            .hasSameHashCodeAs(node.name("echo"))
            .isNotEqualTo(node.name("cache"))
            .isNotEqualTo(other.name("echo"))
            .hasToString("echo@local-names");
        assertThat(name.node()).isSameAs(node);
        assertThat(name.name()).isEqualTo("echo");
      }
    }
  }
}

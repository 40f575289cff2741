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
import dev.supervision.core.server.EchoServer.Crash;
import dev.supervision.core.server.EchoServer.Event;
import dev.supervision.core.server.EchoServer.Message;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class ServerRefTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Node node = Node.create("server-ref-test");
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  private ServerRef<Message> startEcho() {
    return GenServer.start(node, () -> new EchoServer(events));
  }

  @Nested
  final class ByName {

    @Test
    void aCallThroughANameFollowsTheServerToItsNewPidAfterARestart() {
      LocalName name = node.name("echo");
      Supervisor.start(
          node,
          SupervisorSpec.of("echo-sup", Strategy.ONE_FOR_ONE)
              .withChildren(
                  ChildSpec.server(
                      "echo", () -> new EchoServer(events), StartOptions.named(name))));
      ServerRef<Message> echo = ServerRef.of(name);
      Pid first = echo.pid();
      assertThat(echo(echo, "before")).isEqualTo("before");

      echo.cast(new Crash(new IllegalStateException("boom")));
      assertThat(awaitExit(first)).isInstanceOf(ExitReason.Crashed.class);
      await().atMost(TIMEOUT).until(() -> name.whereis() != null);

      assertThat(echo(echo, "after")).isEqualTo("after");
      assertThat(echo.pid()).isNotEqualTo(first).isEqualTo(name.whereis());
    }

    @Test
    void pidOfANameNobodyHoldsThrowsIllegalStateException() {
      ServerRef<Message> nobody = ServerRef.of(node.name("nobody"));

      assertThat(nobody.whereis()).isNull();
      assertThatThrownBy(nobody::pid)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("no process is registered under nobody@server-ref-test");
    }

    @Test
    void pidOfANameIsItsHolderNow() {
      LocalName name = node.name("echo");
      ServerRef<Message> started =
          GenServer.start(node, () -> new EchoServer(events), StartOptions.named(name));
      ServerRef<Message> byName = ServerRef.of(name);

      assertThat(byName.pid()).isEqualTo(started.pid());
      assertThat(byName.whereis()).isEqualTo(started.pid());
      assertThat(byName.address()).isEqualTo(name);
    }
  }

  @Nested
  final class ByPid {

    @Test
    void pidOfARefFromAStartIsThatPidAliveOrNot() {
      ServerRef<Message> echo = startEcho();
      Pid pid = echo.pid();
      assertThat(echo.whereis()).isEqualTo(pid);

      echo.stop();

      assertThat(echo.pid()).isSameAs(pid);
      assertThat(echo.whereis()).isNull();
    }
  }

  @Nested
  final class Equality {

    @Test
    void refsAreEqualWhenTheirAddressesAre() {
      ServerRef<Message> echo = startEcho();
      ServerRef<Message> samePid = ServerRef.of(echo.pid());
      ServerRef<String> samePidOtherProtocol = ServerRef.of(echo.pid());

      assertThat(samePid).isEqualTo(echo).hasSameHashCodeAs(echo);
      assertThat(samePidOtherProtocol).isEqualTo(echo);
      assertThat(echo).hasToString(echo.pid().toString());
      assertThat(startEcho()).isNotEqualTo(echo);
    }

    @Test
    void aRefOfARefHasTheSameAddress() {
      ServerRef<Message> echo = startEcho();

      ServerRef<Message> again = ServerRef.of(echo);

      assertThat(again.address()).isSameAs(echo.pid());
      assertThat(again).isEqualTo(echo);
    }

    @Test
    void refsOfNamesAreEqualWhenTheNamesAreAndDifferFromRefsOfTheHolder() {
      ServerRef<Message> holder =
          GenServer.start(
              node, () -> new EchoServer(events), StartOptions.named(node.name("echo")));

      ServerRef<Message> byName = ServerRef.of(node.name("echo"));

      assertThat(byName)
          .isEqualTo(ServerRef.of(node.name("echo")))
          .hasSameHashCodeAs(ServerRef.of(node.name("echo")))
          .isNotEqualTo(ServerRef.of(node.name("other")))
          .isNotEqualTo(holder);
      assertThat(byName).hasToString("echo@server-ref-test");
    }
  }
}

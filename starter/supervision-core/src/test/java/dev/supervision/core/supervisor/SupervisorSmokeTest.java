package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class SupervisorSmokeTest {
  static final class Worker implements Server {
    @Override
    public void handleCall(Object request, ReplyTo replyTo) {
      if (request.equals("crash")) {
        throw new IllegalStateException("boom");
      }
      replyTo.reply("pong");
    }
  }

  @Test
  void oneForOneRestartsACrashedChild() {
    try (Node node = Node.create("t")) {
      Pid sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("s", Strategy.ONE_FOR_ONE)
                  .withChildren(
                      ChildSpec.worker("a", () -> GenServer.startLink(Worker::new)),
                      ChildSpec.worker("b", () -> GenServer.startLink(Worker::new))));
      Pid a = Supervisor.whichChildren(sup).get(0).pid();
      Pid b = Supervisor.whichChildren(sup).get(1).pid();
      try {
        GenServer.call(a, "crash");
      } catch (RuntimeException expected) {
        // crash
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Supervisor.whichChildren(sup).get(0).pid() != a);
      assertThat(Supervisor.whichChildren(sup).get(1).pid()).isSameAs(b);
      assertThat((String) GenServer.call(Supervisor.whichChildren(sup).get(0).pid(), "x"))
          .isEqualTo("pong");
      Supervisor.stop(sup);
      assertThat(b.isAlive()).isFalse();
    }
  }
}

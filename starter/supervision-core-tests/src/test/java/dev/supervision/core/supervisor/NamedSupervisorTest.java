package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.StartException;
import dev.supervision.test.Exits;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/* Supervisors under OTP's local names (Supervisor.start_link(children, name: MyApp.Supervisor)). */
final class NamedSupervisorTest {
  private final Node node = Node.create("named");

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void aSupervisorStartedUnderALocalNameIsReachedByThatName() {
    Supervisor.start(node, SupervisorSpec.of("app", Strategy.ONE_FOR_ONE), node.name("app"));

    SupervisorRef byName = SupervisorRef.of(node.name("app"));
    byName.startChild(ChildSpec.worker("w", () -> node.spawn(self -> self.receive())));

    assertThat(byName.whichChildren()).extracting(ChildInfo::id).containsExactly("w");
    assertThat(node.registeredNames()).containsKey("app");
  }

  @Test
  void aSecondSupervisorUnderATakenNameFailsToStartNamingTheHolder() {
    SupervisorRef first =
        Supervisor.start(node, SupervisorSpec.of("app", Strategy.ONE_FOR_ONE), node.name("app"));

    assertThatThrownBy(
            () ->
                Supervisor.start(
                    node, SupervisorSpec.of("app", Strategy.ONE_FOR_ONE), node.name("app")))
        .isInstanceOfSatisfying(
            StartException.class, e -> assertThat(e.alreadyStarted()).contains(first.pid()));
  }

  @Test
  void aDynamicSupervisorRestartedByItsParentIsReachedByNameUnderItsNewPid() {
    SupervisorRef app =
        Supervisor.start(
            node,
            SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
                .withChildren(
                    ChildSpec.worker(
                            "rooms",
                            () ->
                                DynamicSupervisor.startLink(
                                        DynamicSupervisorSpec.of("rooms"), node.name("rooms"))
                                    .pid())
                        .withType(ChildType.SUPERVISOR)));
    DynamicSupervisorRef rooms = DynamicSupervisorRef.of(node.name("rooms"));
    Pid before = rooms.pid();

    node.kill(before);
    Exits.awaitExit(before);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rooms.whereis() != null && rooms.whereis() != before);

    rooms.startChild(ChildSpec.worker("room", () -> node.spawn(self -> self.receive())));
    assertThat(rooms.countChildren().active()).isEqualTo(1);
    assertThat(app.whichChildren().get(0).restarts()).isEqualTo(1);
  }
}

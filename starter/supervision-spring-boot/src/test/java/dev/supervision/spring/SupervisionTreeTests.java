package dev.supervision.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.supervisor.AutoShutdown;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.core.supervisor.TreeSpec;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/* The Spring layer's tree over a core TreeSpec (whose rules TreeSpecTest covers). */
final class SupervisionTreeTests {
  private final Node node = Node.create("tree-test");

  @AfterEach
  void closeNode() {
    node.close();
  }

  private static TreeSpec.Builder batch(AutoShutdown autoShutdown) {
    return TreeSpec.builder(SupervisorSpec.of("root", Strategy.ONE_FOR_ONE))
        .supervisor(
            "root",
            SupervisorSpec.of("batch", Strategy.ONE_FOR_ONE).withAutoShutdown(autoShutdown));
  }

  /* A job that stops normally once cast Done. */
  private static final class Job implements Server<Job.Message> {
    sealed interface Message {}

    enum Done implements Message {
      INSTANCE
    }

    private ServerContext<Message> context;

    @Override
    public void init(ServerContext<Message> context) {
      this.context = context;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Done done -> context.stop(ExitReason.normal());
      }
    }
  }

  private static ChildSpec job() {
    return ChildSpec.server("job", Job::new).withRestart(Restart.TRANSIENT).withSignificant(true);
  }

  @Test
  void aSignificantChildUnderAnAutoShutdownSupervisorMakesATreeThatIsNotRunningYet() {
    SupervisionTree tree =
        new SupervisionTree(
            node, batch(AutoShutdown.ANY_SIGNIFICANT).child("batch", job()).build());

    assertThat(tree.isRunning()).isFalse();
    assertThat(tree.rootName()).isEqualTo("root");
    assertThat(tree.getPhase()).isEqualTo(SupervisionTree.DEFAULT_PHASE);
  }

  @Test
  void offersAHandleOfItsKindOnEverySupervisorOfTheSpecThatFailsUntilTheTreeStarts() {
    TreeSpec spec =
        batch(AutoShutdown.NEVER).supervisor("batch", DynamicSupervisorSpec.of("rooms")).build();
    SupervisionTree tree = new SupervisionTree(node, spec);

    assertThat(tree.supervisors()).containsOnlyKeys("root", "batch", "rooms");
    assertThat(tree.supervisor("root")).isInstanceOf(SupervisorRef.class);
    assertThat(tree.supervisor("batch")).isInstanceOf(SupervisorRef.class);
    assertThat(tree.supervisor("rooms")).isInstanceOf(DynamicSupervisorRef.class);
    assertThat(tree.supervisor("nowhere")).isNull();
    assertThat(tree.spec()).isSameAs(spec);
    assertThatExceptionOfType(CallException.NoProc.class)
        .isThrownBy(() -> tree.supervisor("rooms").whichChildren());
  }

  @Test
  void aHandleFollowsItsSupervisorWhenItsParentRestartsIt() {
    SupervisionTree tree =
        new SupervisionTree(
            node,
            batch(AutoShutdown.NEVER)
                .supervisor("batch", DynamicSupervisorSpec.of("rooms"))
                .build());
    tree.start();
    DynamicSupervisorRef rooms = (DynamicSupervisorRef) tree.supervisor("rooms");
    Pid before = rooms.whereis();
    assertThat(before).isNotNull();

    node.kill(before);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rooms.whereis() != null && rooms.whereis() != before);
    ChildInfo info = ((SupervisorRef) tree.supervisor("batch")).whichChildren().getFirst();
    assertThat(info.pid()).isEqualTo(rooms.whereis());
    tree.stop();
    assertThat(tree.root().whereis()).isNull();
  }
}

package dev.supervision.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.supervisor.AutoShutdown;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Strategy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class SupervisionTreeBuilderTests {
  private static final Duration WITHIN = Duration.ofSeconds(5);

  private final Node node = Node.create("builder-test");

  @AfterEach
  void closeNode() {
    node.close();
  }

  private SupervisionTree.Builder batch(AutoShutdown autoShutdown) {
    return SupervisionTree.builder(node)
        .supervisor("batch", null, Strategy.ONE_FOR_ONE, 3, WITHIN)
        .autoShutdown("batch", autoShutdown);
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
  void autoShutdownOfAnUndeclaredSupervisorIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> SupervisionTree.builder(node).autoShutdown("batch", AutoShutdown.ANY_SIGNIFICANT))
        .withMessageContaining("supervisor 'batch' has not been declared");
  }

  @Test
  void aDynamicSupervisorHasNoAutoShutdown() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                SupervisionTree.builder(node)
                    .dynamicSupervisor("rooms", null, 3, WITHIN, 0)
                    .autoShutdown("rooms", AutoShutdown.ALL_SIGNIFICANT))
        .withMessageContaining("supervisor 'rooms' is dynamic");
  }

  @Test
  void aSignificantSupervisorMustNotBePermanent() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                batch(AutoShutdown.ANY_SIGNIFICANT)
                    .supervisor("step", "batch", Strategy.ONE_FOR_ONE, 3, WITHIN)
                    .supervisorAsChild("step", Restart.PERMANENT, true))
        .withMessageContaining("its restart must be transient or temporary");
  }

  @Test
  void aSignificantChildUnderASupervisorWithoutAutoShutdownFailsTheBuild() {
    SupervisionTree.Builder builder = batch(AutoShutdown.NEVER).child("batch", job());
    assertThatIllegalArgumentException()
        .isThrownBy(builder::build)
        .withMessageContaining("child 'job' is significant, but supervisor 'batch' has no");
  }

  @Test
  void aSignificantSupervisorUnderTheRootFailsTheBuild() {
    SupervisionTree.Builder builder =
        batch(AutoShutdown.ANY_SIGNIFICANT).supervisorAsChild("batch", Restart.TRANSIENT, true);
    assertThatIllegalArgumentException()
        .isThrownBy(builder::build)
        .withMessageContaining("child 'batch' is significant, but supervisor 'root' has no");
  }

  @Test
  void aSignificantChildUnderAnAutoShutdownSupervisorBuilds() {
    SupervisionTree tree = batch(AutoShutdown.ANY_SIGNIFICANT).child("batch", job()).build();
    assertThat(tree.isRunning()).isFalse();
  }
}

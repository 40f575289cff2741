package dev.supervision.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.spring.SupervisionTracker.SupervisorStats;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class SupervisionTrackerTests {
  private final Node node = Node.create("tracker");
  private final SupervisionTracker tracker = new SupervisionTracker(node);

  @AfterEach
  void close() {
    tracker.close();
    node.close();
  }

  /* Stops normally on Stop, crashes on Crash. */
  static final class Job implements Server<Job.Message> {
    sealed interface Message {}

    enum Stop implements Message {
      INSTANCE
    }

    enum Crash implements Message {
      INSTANCE
    }

    private @Nullable ServerContext<Message> context;

    @Override
    public void init(ServerContext<Message> context) {
      this.context = context;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Stop stop -> Objects.requireNonNull(context).stop(ExitReason.normal());
        case Crash crash -> throw new IllegalStateException("crashed on request");
      }
    }
  }

  private static ChildSpec job(String id) {
    return ChildSpec.server(id, Job::new);
  }

  private static ServerRef<Job.Message> job(@Nullable Pid pid) {
    return ServerRef.of(Objects.requireNonNull(pid));
  }

  @Nested
  final class ForgettingChildren {

    @Test
    void aDynamicSupervisorsChildThatIsTerminatedIsForgotten() {
      DynamicSupervisorRef rooms = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms"));
      Pid lobby = rooms.startChild(job("lobby"));
      SupervisorStats stats = tracker.supervisor("rooms");
      assertThat(stats.childStats("lobby")).isNotNull();

      rooms.terminateChild(lobby);

      assertThat(stats.childStats("lobby")).isNull();
      assertThat(stats.children()).isEmpty();
    }

    @Test
    void aDynamicSupervisorsChildThatEndsForGoodIsForgotten() {
      DynamicSupervisorRef rooms = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms"));
      Pid once = rooms.startChild(job("once").withRestart(Restart.TRANSIENT));

      job(once).cast(Job.Stop.INSTANCE);

      SupervisorStats stats = tracker.supervisor("rooms");
      await().atMost(Duration.ofSeconds(5)).until(() -> stats.childStats("once") == null);
    }

    @Test
    void manyShortLivedChildrenWithTheirOwnIdsLeaveNothingBehind() {
      DynamicSupervisorRef counters =
          DynamicSupervisor.start(node, DynamicSupervisorSpec.of("counters"));
      for (int i = 0; i < 200; i++) {
        Pid pid = counters.startChild(job("user-input-" + i));
        counters.terminateChild(pid);
      }

      assertThat(tracker.supervisor("counters").children()).isEmpty();
    }

    @Test
    void aChildThatIsRestartedKeepsItsCountsAndSiblingsSharingItsIdKeepTheirs() {
      DynamicSupervisorRef rooms =
          DynamicSupervisor.start(
              node, DynamicSupervisorSpec.of("rooms").withIntensity(10, Duration.ofSeconds(5)));
      Pid first = rooms.startChild(job("room"));
      Pid second = rooms.startChild(job("room"));
      SupervisorStats stats = tracker.supervisor("rooms");

      job(first).cast(Job.Crash.INSTANCE);
      await().atMost(Duration.ofSeconds(5)).until(() -> stats.restarts() == 1);
      rooms.terminateChild(second);

      SupervisionTracker.ChildStats room = stats.childStats("room");
      assertThat(room).isNotNull();
      assertThat(room.restarts()).isEqualTo(1);
      assertThat(room.lastFailure()).isNotNull();
    }

    @Test
    void aStaticSupervisorsChildIsKeptWhenItStops() {
      SupervisorRef app =
          Supervisor.start(
              node,
              SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
                  .withChildren(job("worker").withRestart(Restart.TRANSIENT)));
      job(app.whichChildren().getFirst().pid()).cast(Job.Crash.INSTANCE);
      SupervisorStats stats = tracker.supervisor("app");
      await().atMost(Duration.ofSeconds(5)).until(() -> stats.restarts() == 1);

      app.terminateChild("worker");

      SupervisionTracker.ChildStats worker = stats.childStats("worker");
      assertThat(worker).isNotNull();
      assertThat(worker.restarts()).isEqualTo(1);
    }
  }
}

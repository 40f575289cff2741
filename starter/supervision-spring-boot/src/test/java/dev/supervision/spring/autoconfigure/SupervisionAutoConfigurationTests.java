package dev.supervision.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.SupervisorHandle;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSnapshot;
import dev.supervision.spring.ApplicationExit;
import dev.supervision.spring.SupervisedChildSpec;
import dev.supervision.spring.SupervisionTracker;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.autoconfigure.TestServers.ChildrenConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.Finishing;
import dev.supervision.spring.autoconfigure.TestServers.Journal;
import dev.supervision.spring.autoconfigure.TestServers.JournalConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.Recording;
import dev.supervision.spring.autoconfigure.TestServers.SignificantConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

final class SupervisionAutoConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SupervisionAutoConfiguration.class))
          .withUserConfiguration(JournalConfiguration.class);

  @Nested
  final class Defaults {

    @Test
    void startsARootSupervisorNamedRootWithOneForOneAndThreeRestartsInFiveSeconds() {
      runner.run(
          context -> {
            assertThat(context)
                .hasSingleBean(Node.class)
                .hasSingleBean(SupervisionTree.class)
                .hasSingleBean(SupervisionTracker.class)
                .hasSingleBean(ApplicationExit.class)
                .hasSingleBean(SupervisorRef.class);
            SupervisorRef root =
                context.getBean("supervision.supervisor.root", SupervisorRef.class);
            assertThat(root.whereis()).isNotNull();
            SupervisorSnapshot snapshot = root.inspect(Duration.ofSeconds(1));
            assertThat(snapshot.strategy()).isEqualTo(Strategy.ONE_FOR_ONE);
            assertThat(snapshot.maxRestarts()).isEqualTo(3);
            assertThat(snapshot.within()).isEqualTo(Duration.ofSeconds(5));
            assertThat(snapshot.children()).isEmpty();
            assertThat(context.getBean(SupervisionTree.class).getPhase())
                .isEqualTo(SmartLifecycle.DEFAULT_PHASE - 4096);
          });
    }

    @Test
    void isOffWhenSupervisionIsDisabled() {
      runner
          .withPropertyValues("supervision.enabled=false")
          .run(
              context ->
                  assertThat(context)
                      .doesNotHaveBean(Node.class)
                      .doesNotHaveBean(SupervisionTree.class));
    }
  }

  @Nested
  final class Binding {

    @Test
    void bindsStrategiesDurationsAndTypesOfNamedSupervisors() {
      runner
          .withPropertyValues(
              "supervision.root.name=app",
              "supervision.root.strategy=one-for-all",
              "supervision.root.max-restarts=7",
              "supervision.root.within=250ms",
              "supervision.shutdown-phase=42",
              "supervision.supervisors.workers.strategy=rest-for-one",
              "supervision.supervisors.workers.max-restarts=0",
              "supervision.supervisors.workers.within=PT2M",
              "supervision.supervisors.rooms.type=dynamic",
              "supervision.supervisors.rooms.parent=workers",
              "supervision.supervisors.rooms.max-children=2")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                SupervisorSnapshot app =
                    context
                        .getBean("supervision.supervisor.app", SupervisorRef.class)
                        .inspect(Duration.ofSeconds(1));
                assertThat(app.strategy()).isEqualTo(Strategy.ONE_FOR_ALL);
                assertThat(app.maxRestarts()).isEqualTo(7);
                assertThat(app.within()).isEqualTo(Duration.ofMillis(250));
                SupervisorRef workers =
                    context.getBean("supervision.supervisor.workers", SupervisorRef.class);
                SupervisorSnapshot w = workers.inspect(Duration.ofSeconds(1));
                assertThat(w.strategy()).isEqualTo(Strategy.REST_FOR_ONE);
                assertThat(w.maxRestarts()).isZero();
                assertThat(w.within()).isEqualTo(Duration.ofMinutes(2));
                assertThat(w.children()).extracting(ChildInfo::id).containsExactly("rooms");
                assertThat(context.getBean("supervision.supervisor.rooms"))
                    .isInstanceOf(DynamicSupervisorRef.class);
                DynamicSupervisorRef rooms =
                    context.getBean("supervision.supervisor.rooms", DynamicSupervisorRef.class);
                assertThat(context.getBean(SupervisionTree.class).getPhase()).isEqualTo(42);
                Journal journal = context.getBean(Journal.class);
                ChildSpec room = ChildSpec.server("room", () -> new Recording(journal, "room"));
                rooms.startChild(room);
                rooms.startChild(room);
                assertThat(rooms.countChildren().active()).isEqualTo(2);
              });
    }
  }

  @Nested
  final class SupervisedBeans {

    @Test
    void startsDeclaredSupervisorsFirstThenBeanChildrenByOrder() {
      runner
          .withUserConfiguration(ChildrenConfiguration.class)
          .withPropertyValues(
              "supervision.supervisors.workers.strategy=one-for-one",
              "supervision.supervisors.rooms.type=dynamic")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                List<String> rootChildren =
                    context
                        .getBean("supervision.supervisor.root", SupervisorRef.class)
                        .whichChildren()
                        .stream()
                        .map(ChildInfo::id)
                        .toList();
                assertThat(rootChildren).containsExactly("workers", "rooms", "root-worker");
                assertThat(
                        context
                            .getBean("supervision.supervisor.workers", SupervisorRef.class)
                            .whichChildren()
                            .stream()
                            .map(ChildInfo::id))
                    .containsExactly("first", "second");
                assertThat(context.getBean(Journal.class).entries)
                    .containsExactly("start first", "start second", "start root-worker");
              });
    }

    @Test
    void aSupervisorWithAnAutoShutdownStopsWhenItsSignificantJobFinishesAndStaysDown() {
      runner
          .withUserConfiguration(SignificantConfiguration.class)
          .withPropertyValues(
              "supervision.supervisors.batch.auto-shutdown=any-significant",
              "supervision.supervisors.batch.restart=transient")
          .run(
              context -> {
                Journal journal = context.getBean(Journal.class);
                SupervisorRef batch =
                    context.getBean("supervision.supervisor.batch", SupervisorRef.class);
                SupervisorRef root =
                    context.getBean("supervision.supervisor.root", SupervisorRef.class);
                assertThat(batch.whereis()).isNotNull();
                ServerRef.<Finishing.Message>of(pidOf(batch, "job"))
                    .cast(Finishing.Finish.INSTANCE);
                await().atMost(Duration.ofSeconds(5)).until(() -> batch.whereis() == null);
                assertThat(journal.entries).endsWith("stop job", "stop helper");
                ChildInfo info = root.whichChildren().getFirst();
                assertThat(info.id()).isEqualTo("batch");
                assertThat(info.pid()).isNull();
                assertThat(info.restarts()).isZero();
                assertThat(root.whereis()).isNotNull();
                SupervisionTracker.SupervisorStats stats =
                    context.getBean(SupervisionTracker.class).supervisor("batch");
                assertThat(stats).isNotNull();
                assertThat(stats.isRunning()).isFalse();
                assertThat(stats.hasGivenUp()).as("an auto-shutdown is not giving up").isFalse();
              });
    }

    @Test
    void restartsACrashedBeanWithAFreshInjectedInstance() {
      runner
          .withUserConfiguration(ChildrenConfiguration.class)
          .withPropertyValues("supervision.supervisors.workers.strategy=one-for-one")
          .run(
              context -> {
                SupervisorRef workers =
                    context.getBean("supervision.supervisor.workers", SupervisorRef.class);
                Pid before = pidOf(workers, "first");
                int instance = recording(before).call(Recording.Get::new);
                recording(before).cast(Recording.Crash.INSTANCE);
                await()
                    .atMost(Duration.ofSeconds(5))
                    .until(
                        () -> pidOf(workers, "first") != null && pidOf(workers, "first") != before);
                int after = recording(pidOf(workers, "first")).call(Recording.Get::new);
                assertThat(after).isNotEqualTo(instance);
                ChildInfo first = workers.whichChildren().getFirst();
                assertThat(first.restarts()).isEqualTo(1);
              });
    }

    @Test
    void aSupervisorRefFollowsItsSupervisorAcrossRestartsAndADynamicOneRestartsItsBeanChildren() {
      runner
          .withUserConfiguration(DynamicChildConfiguration.class)
          .withPropertyValues("supervision.supervisors.rooms.type=dynamic")
          .run(
              context -> {
                DynamicSupervisorRef rooms =
                    context.getBean("supervision.supervisor.rooms", DynamicSupervisorRef.class);
                Pid before = rooms.whereis();
                assertThat(before).isNotNull();
                assertThat(rooms.countChildren().active()).isEqualTo(1);
                context.getBean(Node.class).kill(before);
                await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> rooms.whereis() != null && rooms.whereis() != before);
                assertThat(rooms.countChildren().active()).isEqualTo(1);
                assertThat(rooms.whichChildren().getFirst().id()).isEqualTo("lobby");
              });
    }

    @Test
    void aDynamicSupervisorsBeanChildWhoseInitIgnoresIsLeftOutAndTheOthersStart() {
      runner
          .withUserConfiguration(DynamicChildConfiguration.class, IgnoredChildConfiguration.class)
          .withPropertyValues("supervision.supervisors.rooms.type=dynamic")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                DynamicSupervisorRef rooms =
                    context.getBean("supervision.supervisor.rooms", DynamicSupervisorRef.class);
                assertThat(rooms.whichChildren())
                    .extracting(ChildInfo::id)
                    .containsExactly("lobby");
              });
    }

    @Test
    void stopsChildrenInReverseStartOrderWhenTheContextCloses() {
      Journal[] journal = new Journal[1];
      Node[] node = new Node[1];
      runner
          .withUserConfiguration(ChildrenConfiguration.class)
          .withPropertyValues("supervision.supervisors.workers.strategy=one-for-one")
          .run(
              context -> {
                journal[0] = context.getBean(Journal.class);
                node[0] = context.getBean(Node.class);
                assertThat(node[0].processCount()).isEqualTo(5);
              });
      assertThat(journal[0].entries)
          .containsExactly(
              "start first",
              "start second",
              "start root-worker",
              "stop root-worker",
              "stop second",
              "stop first");
      assertThat(node[0].isClosed()).isTrue();
      assertThat(node[0].processCount()).isZero();
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().startsWith("supervision-"));
    }
  }

  @Nested
  final class Lifecycle {

    @Test
    void theTreeRunsBeforeAndAfterAWebServerPhaseLifecycle() {
      runner
          .withUserConfiguration(WebServerPhaseConfiguration.class)
          .run(
              context -> {
                WebServerPhaseConfiguration.Probe probe =
                    context.getBean(WebServerPhaseConfiguration.Probe.class);
                SupervisionTree tree = context.getBean(SupervisionTree.class);
                assertThat(probe.treeRunningAtStart).isTrue();
                context.close();
                assertThat(probe.treeRunningAtStop).isTrue();
                assertThat(tree.isRunning()).isFalse();
              });
    }

    @Test
    void stopWithACallbackCallsBackOnceTheTreeHasStopped() throws Exception {
      runner
          .withUserConfiguration(ChildrenConfiguration.class)
          .withPropertyValues("supervision.supervisors.workers.strategy=one-for-one")
          .run(
              context -> {
                SupervisionTree tree = context.getBean(SupervisionTree.class);
                Node node = context.getBean(Node.class);
                java.util.concurrent.CountDownLatch stopped =
                    new java.util.concurrent.CountDownLatch(1);
                tree.stop(stopped::countDown);
                assertThat(stopped.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(tree.isRunning()).isFalse();
                assertThat(tree.root().whereis()).isNull();
                await().atMost(Duration.ofSeconds(5)).until(() -> node.processCount() == 0);
                assertThat(tree.giveUpReason()).isNull();
              });
    }
  }

  @Nested
  final class UserBeans {

    @Test
    void backsOffForAUserNodeAndApplicationExit() {
      runner
          .withUserConfiguration(UserBeansConfiguration.class)
          .run(
              context -> {
                assertThat(context).hasSingleBean(Node.class).hasSingleBean(ApplicationExit.class);
                assertThat(context.getBean(Node.class).name()).isEqualTo("mine");
                assertThat(context.getBean(SupervisionTree.class).node())
                    .isSameAs(context.getBean(Node.class));
                assertThat(context.getBean(ApplicationExit.class))
                    .isSameAs(context.getBean(UserBeansConfiguration.class).exit);
              });
    }
  }

  @Nested
  final class GivingUp {

    @Test
    void stopApplicationHandsTheExitCodeToTheApplicationExit() {
      runner
          .withUserConfiguration(UserBeansConfiguration.class, ChildrenConfiguration.class)
          .withPropertyValues(
              "supervision.root.max-restarts=0",
              "supervision.root.on-give-up=stop-application",
              "supervision.root.exit-code=3",
              "supervision.supervisors.workers.max-restarts=0")
          .run(
              context -> {
                SupervisorRef workers =
                    context.getBean("supervision.supervisor.workers", SupervisorRef.class);
                recording(pidOf(workers, "first")).cast(Recording.Crash.INSTANCE);
                AtomicInteger code = context.getBean(UserBeansConfiguration.class).code;
                await().atMost(Duration.ofSeconds(5)).until(() -> code.get() == 3);
                assertThat(context.getBean(SupervisionTree.class).giveUpReason()).isNotNull();
              });
    }

    @Test
    void reportDownKeepsTheApplicationRunning() {
      runner
          .withUserConfiguration(UserBeansConfiguration.class, ChildrenConfiguration.class)
          .withPropertyValues(
              "supervision.root.max-restarts=0", "supervision.supervisors.workers.max-restarts=0")
          .run(
              context -> {
                SupervisorRef workers =
                    context.getBean("supervision.supervisor.workers", SupervisorRef.class);
                recording(pidOf(workers, "first")).cast(Recording.Crash.INSTANCE);
                SupervisionTree tree = context.getBean(SupervisionTree.class);
                await().atMost(Duration.ofSeconds(5)).until(() -> tree.giveUpReason() != null);
                assertThat(context.getBean(UserBeansConfiguration.class).code).hasValue(-1);
                assertThat(tree.root().whereis()).isNull();
              });
    }
  }

  @Nested
  final class Probes {
    private final ApplicationContextRunner probes =
        runner
            .withConfiguration(
                AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class))
            .withUserConfiguration(ChildrenConfiguration.class)
            .withPropertyValues(
                "supervision.root.max-restarts=0",
                "supervision.supervisors.workers.max-restarts=0");

    /* Crashes a child until the root gives up, the application having started and taken traffic. */
    private ApplicationAvailability giveUp(AssertableApplicationContext context) {
      AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
      AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
      SupervisorRef workers =
          context.getBean("supervision.supervisor.workers", SupervisorRef.class);
      recording(pidOf(workers, "first")).cast(Recording.Crash.INSTANCE);
      SupervisionTree tree = context.getBean(SupervisionTree.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> tree.giveUpReason() != null);
      return context.getBean(ApplicationAvailability.class);
    }

    @Test
    void byDefaultARootThatGivesUpTakesTheApplicationOutOfTrafficThroughReadiness() {
      probes.run(
          context -> {
            ApplicationAvailability availability = giveUp(context);
            await()
                .atMost(Duration.ofSeconds(5))
                .until(availability::getReadinessState, s -> s == ReadinessState.REFUSING_TRAFFIC);
            assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
          });
    }

    @Test
    void withProbeLivenessARootThatGivesUpMarksTheApplicationBroken() {
      probes
          .withPropertyValues("supervision.health.probe=liveness")
          .run(
              context -> {
                ApplicationAvailability availability = giveUp(context);
                await()
                    .atMost(Duration.ofSeconds(5))
                    .until(availability::getLivenessState, s -> s == LivenessState.BROKEN);
                assertThat(availability.getReadinessState())
                    .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
              });
    }

    @Test
    void withProbeNoneARootThatGivesUpLeavesTheProbesAlone() {
      probes
          .withPropertyValues("supervision.health.probe=none")
          .run(
              context -> {
                ApplicationAvailability availability = giveUp(context);
                assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
                assertThat(availability.getReadinessState())
                    .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
              });
    }

    @Test
    void anUnknownProbeFailsTheContextNamingTheProperty() {
      probes
          .withPropertyValues("supervision.health.probe=startup")
          .run(
              context ->
                  assertThat(context)
                      .hasFailed()
                      .getFailure()
                      .rootCause()
                      .hasMessageContaining("startup"));
    }
  }

  static ServerRef<Recording.Message> recording(Pid pid) {
    return ServerRef.of(pid);
  }

  static Pid pidOf(SupervisorHandle supervisor, String id) {
    for (ChildInfo child : supervisor.whichChildren()) {
      if (child.id().equals(id)) {
        return child.pid();
      }
    }
    return null;
  }

  @Configuration(proxyBeanMethods = false)
  static class DynamicChildConfiguration {
    @Bean
    SupervisedChildSpec lobby(Journal journal) {
      return SupervisedChildSpec.of(
          "rooms", ChildSpec.server("lobby", () -> new Recording(journal, "lobby")));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class IgnoredChildConfiguration {
    /* A Recording whose init answers ignore. */
    @Bean
    SupervisedChildSpec closedRoom(Journal journal) {
      return SupervisedChildSpec.of(
          "rooms",
          ChildSpec.server(
              "closed",
              () ->
                  new Recording(journal, "closed") {
                    @Override
                    public void init(ServerContext<Message> context) {
                      context.ignore();
                    }
                  }));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class WebServerPhaseConfiguration {

    /* Stands in for the web server: started and stopped in its lifecycle phase. */
    static final class Probe implements SmartLifecycle {
      private final SupervisionTree tree;
      volatile boolean running;
      volatile boolean treeRunningAtStart;
      volatile boolean treeRunningAtStop;

      Probe(SupervisionTree tree) {
        this.tree = tree;
      }

      @Override
      public void start() {
        treeRunningAtStart = tree.isRunning() && tree.root().whereis() != null;
        running = true;
      }

      @Override
      public void stop() {
        treeRunningAtStop = tree.isRunning() && tree.root().whereis() != null;
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      @Override
      public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE
            - 2048; // WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE
      }
    }

    @Bean
    Probe probe(SupervisionTree tree) {
      return new Probe(tree);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserBeansConfiguration {
    final AtomicInteger code = new AtomicInteger(-1);
    final ApplicationExit exit = code::set;

    @Bean
    Node userNode() {
      return Node.create("mine");
    }

    @Bean
    ApplicationExit userExit() {
      return exit;
    }
  }
}

package dev.supervision.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.spring.SupervisedChildSpec;
import dev.supervision.spring.SupervisionTracker;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.actuate.SupervisorsEndpoint.ChildAction;
import dev.supervision.spring.actuate.SupervisorsEndpoint.ChildDescriptor;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import dev.supervision.spring.metrics.SupervisionMetrics;
import dev.supervision.spring.metrics.SupervisionMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

final class ActuatorAutoConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class,
                  SupervisionHealthAutoConfiguration.class,
                  SupervisorsEndpointAutoConfiguration.class,
                  SupervisionMetricsAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class))
          .withUserConfiguration(CrasherConfiguration.class)
          .withPropertyValues("supervision.supervisors.workers.max-restarts=0");

  @Nested
  final class HealthContributor {

    @Test
    void contributesSupervisionHealthWithEverySupervisor() {
      runner.run(
          context -> {
            assertThat(context).hasBean("supervisionHealthIndicator");
            var health = context.getBean(SupervisionHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            Map<String, Object> supervisors = supervisors(health);
            assertThat(supervisors).containsOnlyKeys("root", "workers");
            assertThat(supervisors.get("workers").toString()).contains("running=1");
          });
    }

    @Test
    void isDownOnceTheRootHasGivenUp() {
      runner
          .withPropertyValues("supervision.root.max-restarts=0")
          .run(
              context -> {
                crash(context.getBean("supervision.supervisor.workers", SupervisorRef.class));
                SupervisionTree tree = context.getBean(SupervisionTree.class);
                await().atMost(Duration.ofSeconds(5)).until(() -> tree.giveUpReason() != null);
                var health = context.getBean(SupervisionHealthIndicator.class).health(true);
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("gaveUp", "shutdown");
              });
    }

    @Test
    void staysUpWhenAGivenUpSupervisorWasRestartedByItsParent() {
      runner.run(
          context -> {
            crash(context.getBean("supervision.supervisor.workers", SupervisorRef.class));
            SupervisionTracker tracker = context.getBean(SupervisionTracker.class);
            await()
                .atMost(Duration.ofSeconds(5))
                .until(
                    () ->
                        tracker.supervisor("workers").escalations() == 1
                            && tracker.supervisor("workers").isRunning());
            var health = context.getBean(SupervisionHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(supervisors(health).get("workers").toString())
                .contains("escalations=1")
                .contains("reason=IllegalStateException");
          });
    }

    @Test
    void backsOffWhenDisabled() {
      runner
          .withPropertyValues("management.health.supervision.enabled=false")
          .run(context -> assertThat(context).doesNotHaveBean(SupervisionHealthIndicator.class));
    }

    @Test
    void backsOffWithoutTheHealthModule() {
      runner
          .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
          .run(
              context ->
                  assertThat(context)
                      .hasSingleBean(SupervisionTree.class)
                      .doesNotHaveBean(SupervisionHealthIndicator.class));
    }

    @Test
    void backsOffForAUserContributor() {
      runner
          .withBean(
              "supervisionHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
          .run(context -> assertThat(context).doesNotHaveBean(SupervisionHealthIndicator.class));
    }
  }

  @Nested
  final class SupervisorsEndpointConditions {

    @Test
    void isRegisteredWhenExposed() {
      runner
          .withPropertyValues("management.endpoints.web.exposure.include=supervisors")
          .run(context -> assertThat(context).hasSingleBean(SupervisorsEndpoint.class));
    }

    @Test
    void isAbsentWhenNotExposed() {
      runner.run(context -> assertThat(context).doesNotHaveBean(SupervisorsEndpoint.class));
    }

    @Test
    void isAbsentWithoutActuator() {
      runner
          .withPropertyValues("management.endpoints.web.exposure.include=supervisors")
          .withClassLoader(new FilteredClassLoader(Endpoint.class))
          .run(
              context ->
                  assertThat(context)
                      .hasSingleBean(SupervisionTree.class)
                      .doesNotHaveBean(SupervisorsEndpoint.class));
    }

    @Test
    void backsOffForAUserEndpoint() {
      runner
          .withPropertyValues("management.endpoints.web.exposure.include=supervisors")
          .withUserConfiguration(UserEndpointConfiguration.class)
          .run(
              context ->
                  assertThat(context.getBean(SupervisorsEndpoint.class))
                      .isSameAs(context.getBean(UserEndpointConfiguration.class).endpoint));
    }

    @Test
    void describesTheTreeAndRestartsAChild() {
      runner
          .withPropertyValues("management.endpoints.web.exposure.include=supervisors")
          .run(
              context -> {
                SupervisorsEndpoint endpoint = context.getBean(SupervisorsEndpoint.class);
                var tree = endpoint.supervisors();
                assertThat(tree.supervisors()).hasSize(1);
                var root = tree.supervisors().getFirst();
                assertThat(root.name()).isEqualTo("root");
                var workers = root.children().getFirst().supervisor();
                assertThat(workers).isNotNull();
                assertThat(workers.children())
                    .extracting(SupervisorsEndpoint.ChildDescriptor::id)
                    .containsExactly("crasher");
                String before = workers.children().getFirst().pid();
                var result = endpoint.childAction("workers", "crasher", "restart");
                assertThat(result).isNotNull();
                assertThat(result.pid()).isNotEqualTo(before);
                assertThat(endpoint.supervisor("nowhere")).isNull();
                assertThat(endpoint.childAction("nowhere", "crasher", "restart")).isNull();
              });
    }
  }

  @Nested
  final class ChildActionByAnyOfWhatTheEndpointShows {
    private final ApplicationContextRunner rooms =
        runner.withPropertyValues(
            "management.endpoints.web.exposure.include=supervisors",
            "supervision.supervisors.rooms.type=dynamic",
            "supervision.registries.room-names.keys=unique");

    /* A room: a child of the 'rooms' dynamic supervisor, of spec id 'room', registered by name. */
    private Pid open(ConfigurableApplicationContext context, String name) {
      @SuppressWarnings("unchecked")
      Registry<String, Object> names =
          context.getBean("supervision.registry.room-names", Registry.class);
      return context
          .getBean("supervision.supervisor.rooms", DynamicSupervisorRef.class)
          .startChild(ChildSpec.server("room", Crasher::new, StartOptions.named(names.via(name))));
    }

    @Test
    void theTreeShowsTheNameEachChildRegisteredUnder() {
      rooms.run(
          context -> {
            Pid lobby = open(context, "lobby");
            var children =
                context.getBean(SupervisorsEndpoint.class).supervisor("rooms").children();
            assertThat(children)
                .extracting(ChildDescriptor::id, ChildDescriptor::name, ChildDescriptor::pid)
                .containsExactly(
                    tuple("room", "via(room-names, lobby)", SupervisorsEndpoint.pidString(lobby)));
          });
    }

    @Test
    void aDynamicChildIsFoundByItsIdWhenNoOtherChildHasIt() {
      rooms.run(
          context -> {
            Pid lobby = open(context, "lobby");
            var result =
                context
                    .getBean(SupervisorsEndpoint.class)
                    .childAction("rooms", "room", "terminate");
            assertThat(result)
                .isEqualTo(
                    new ChildAction(
                        "rooms", "room", "terminate", SupervisorsEndpoint.pidString(lobby)));
            assertThat(lobby.isAlive()).isFalse();
          });
    }

    @Test
    void aDynamicChildIsFoundByItsPidOrItsRegisteredName() {
      rooms.run(
          context -> {
            SupervisorsEndpoint endpoint = context.getBean(SupervisorsEndpoint.class);
            Pid lobby = open(context, "lobby");
            Pid kitchen = open(context, "kitchen");

            endpoint.childAction("rooms", SupervisorsEndpoint.pidString(lobby), "terminate");
            endpoint.childAction("rooms", "via(room-names, kitchen)", "terminate");

            assertThat(lobby.isAlive()).isFalse();
            assertThat(kitchen.isAlive()).isFalse();
          });
    }

    @Test
    void anIdSharedBySeveralChildrenIsRefusedAskingForThePidOrName() {
      rooms.run(
          context -> {
            Pid lobby = open(context, "lobby");
            open(context, "kitchen");
            assertThatThrownBy(
                    () ->
                        context
                            .getBean(SupervisorsEndpoint.class)
                            .childAction("rooms", "room", "terminate"))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessage(
                    "2 children of supervisor 'rooms' have the id 'room'; give the pid or the"
                        + " registered name of one");
            assertThat(lobby.isAlive()).isTrue();
          });
    }

    @Test
    void aStaticChildIsFoundByItsPidToo() {
      rooms.run(
          context -> {
            SupervisorsEndpoint endpoint = context.getBean(SupervisorsEndpoint.class);
            Pid before =
                context
                    .getBean("supervision.supervisor.workers", SupervisorRef.class)
                    .whichChildren()
                    .getFirst()
                    .pid();

            var result =
                endpoint.childAction("workers", SupervisorsEndpoint.pidString(before), "restart");

            assertThat(result).isNotNull();
            assertThat(result.child()).isEqualTo("crasher");
            assertThat(result.pid()).isNotEqualTo(SupervisorsEndpoint.pidString(before));
            assertThat(before.isAlive()).isFalse();
          });
    }

    @Test
    void anUnknownChildIsRefusedSayingWhatIsAccepted() {
      rooms.run(
          context ->
              assertThatThrownBy(
                      () ->
                          context
                              .getBean(SupervisorsEndpoint.class)
                              .childAction("rooms", "nobody", "terminate"))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessage(
                      "supervisor 'rooms' has no child 'nobody'; give its pid (<0.42>),"
                          + " registered name or id"));
    }
  }

  @Test
  void restartingAChildWhoseStartIgnoresAnswersWithNoPidAndLeavesItStopped() {
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=supervisors")
        .withUserConfiguration(IgnorerConfiguration.class)
        .run(
            context -> {
              SupervisorsEndpoint endpoint = context.getBean(SupervisorsEndpoint.class);
              context.getBean(IgnorerConfiguration.class).ignoring.set(true);

              var result = endpoint.childAction("workers", "ignorer", "restart");

              assertThat(result).isNotNull();
              assertThat(result.pid()).isNull();
              var workers = endpoint.supervisor("workers");
              assertThat(workers).isNotNull();
              assertThat(workers.children())
                  .filteredOn(c -> c.id().equals("ignorer"))
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.state()).isEqualTo("stopped");
                        assertThat(c.pid()).isNull();
                      });
            });
  }

  @Nested
  final class Metrics {

    @Test
    void bindsTheMetersWhenMicrometerIsPresent() {
      runner.run(
          context -> {
            assertThat(context).hasSingleBean(SupervisionMetrics.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(
                    meters
                        .get("supervision.escalations")
                        .tag("supervisor", "workers")
                        .counter()
                        .count())
                .isZero();
          });
    }

    @Test
    void backsOffWithoutMicrometer() {
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class, SupervisionMetricsAutoConfiguration.class))
          .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
          .run(
              context ->
                  assertThat(context)
                      .hasSingleBean(SupervisionTree.class)
                      .doesNotHaveBean(SupervisionMetrics.class));
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class, SupervisionMetricsAutoConfiguration.class))
          .run(context -> assertThat(context).doesNotHaveBean(SupervisionMetrics.class));
    }

    @Test
    void backsOffForUserMetrics() {
      runner
          .withUserConfiguration(UserMetricsConfiguration.class)
          .run(
              context ->
                  assertThat(context.getBean(SupervisionMetrics.class))
                      .isSameAs(context.getBean(UserMetricsConfiguration.class).metrics));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> supervisors(Health health) {
    return (Map<String, Object>) health.getDetails().get("supervisors");
  }

  static void crash(SupervisorRef workers) {
    ServerRef.<Crasher.Message>of(workers.whichChildren().getFirst().pid())
        .cast(Crasher.Crash.INSTANCE);
  }

  /* Throws when cast Crash. */
  static class Crasher implements Server<Crasher.Message> {
    sealed interface Message {}

    enum Crash implements Message {
      INSTANCE
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Crash crash -> throw new IllegalStateException("crash requested");
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CrasherConfiguration {
    @Bean
    SupervisedChildSpec crasher() {
      return SupervisedChildSpec.of("workers", ChildSpec.server("crasher", Crasher::new));
    }
  }

  /* A Crasher child whose init answers ignore once `ignoring` is set. */
  @Configuration(proxyBeanMethods = false)
  static class IgnorerConfiguration {
    final AtomicBoolean ignoring = new AtomicBoolean();

    @Bean
    SupervisedChildSpec ignorer() {
      return SupervisedChildSpec.of(
          "workers",
          ChildSpec.server(
              "ignorer",
              () ->
                  new Crasher() {
                    @Override
                    public void init(ServerContext<Message> context) {
                      if (ignoring.get()) {
                        context.ignore();
                      }
                    }
                  }));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserEndpointConfiguration {
    SupervisorsEndpoint endpoint;

    @Bean
    SupervisorsEndpoint myEndpoint(SupervisionTree tree) {
      endpoint = new SupervisorsEndpoint(tree);
      return endpoint;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserMetricsConfiguration {
    SupervisionMetrics metrics;

    @Bean
    SupervisionMetrics myMetrics(SupervisionTree tree, SupervisionTracker tracker) {
      metrics = new SupervisionMetrics(tree, tracker, List::of, List::of);
      return metrics;
    }
  }
}

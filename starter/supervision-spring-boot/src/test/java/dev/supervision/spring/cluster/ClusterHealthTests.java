package dev.supervision.spring.cluster;

import static dev.supervision.spring.cluster.ClusterAutoConfigurationTests.enabled;
import static dev.supervision.spring.cluster.ClusterAutoConfigurationTests.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import dev.supervision.spring.actuate.ClusterHealthAutoConfiguration;
import dev.supervision.spring.actuate.ClusterHealthIndicator;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/*
 * The cluster health contributor, with real members on loopback: its status by quorum, its details,
 * the reason when listed members did not join (another cluster name), and its place in the
 * readiness group.
 */
final class ClusterHealthTests {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ApplicationContextRunner withHealth(ApplicationContextRunner runner) {
    return runner.withConfiguration(
        AutoConfigurations.of(
            ClusterHealthAutoConfiguration.class,
            ApplicationAvailabilityAutoConfiguration.class,
            HealthContributorAutoConfiguration.class,
            HealthEndpointAutoConfiguration.class,
            AvailabilityHealthContributorAutoConfiguration.class,
            AvailabilityProbesAutoConfiguration.class));
  }

  private static Health health(ConfigurableApplicationContext context) {
    return context.getBean(ClusterHealthIndicator.class).health(true);
  }

  @Nested
  final class Status_ {
    @Test
    void isUpWithTheMembersAndQuorumWhenTheSideHasTheMinimumSize() {
      int port = freePort();
      withHealth(enabled(port))
          .run(
              context -> {
                Health health = health(context);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails())
                    .containsEntry("name", "test-" + port)
                    .containsEntry("member", "[127.0.0.1]:" + port)
                    .containsEntry("members", List.of("[127.0.0.1]:" + port))
                    .containsEntry("minimumSize", 1)
                    .containsEntry("quorum", true)
                    .containsKey("partitionsSafe")
                    .doesNotContainKey("notJoined");
              });
    }

    @Test
    void isOutOfServiceBelowTheMinimumSize() {
      withHealth(enabled(freePort()))
          .withPropertyValues("supervision.cluster.minimum-size=2")
          .run(
              context -> {
                Health health = health(context);
                assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                assertThat(health.getDetails())
                    .containsEntry("quorum", false)
                    .containsEntry("minimumSize", 2);
                assertThat((String) health.getDetails().get("reason"))
                    .contains("1 member(s), fewer than the minimum size 2");
              });
    }

    @Test
    void isDownWhenTheMemberHasStopped() {
      withHealth(enabled(freePort()))
          .run(
              context -> {
                context.getBean(HazelcastInstance.class).getLifecycleService().terminate();
                Health health = health(context);
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails())
                    .containsEntry("reason", "the Hazelcast member is not running");
              });
    }

    @Test
    void isOffWithItsHealthProperty() {
      withHealth(enabled(freePort()))
          .withPropertyValues("management.health.cluster.enabled=false")
          .run(context -> assertThat(context).doesNotHaveBean(ClusterHealthIndicator.class));
    }
  }

  @Nested
  final class TwoApplications {
    @Test
    void ofOneNameFormOneClusterAndBothHaveQuorum() {
      int first = freePort();
      int second = freePort();
      String members = "supervision.cluster.members=127.0.0.1:" + first + ",127.0.0.1:" + second;
      withHealth(enabled(first))
          .withPropertyValues(
              members, "supervision.cluster.name=shared", "supervision.cluster.minimum-size=2")
          .run(
              one ->
                  withHealth(enabled(second))
                      .withPropertyValues(
                          members,
                          "supervision.cluster.name=shared",
                          "supervision.cluster.minimum-size=2")
                      .run(
                          two -> {
                            await()
                                .atMost(WAIT)
                                .until(() -> health(one).getStatus().equals(Status.UP));
                            assertThat(health(two).getStatus()).isEqualTo(Status.UP);
                            assertThat((List<?>) health(one).getDetails().get("members"))
                                .hasSize(2);
                          }));
    }

    @Test
    void ofDifferentNamesNeverJoinAndHealthSaysWhy() {
      int first = freePort();
      int second = freePort();
      String members = "supervision.cluster.members=127.0.0.1:" + first + ",127.0.0.1:" + second;
      withHealth(enabled(first))
          .withPropertyValues(
              members, "supervision.cluster.name=blue", "supervision.cluster.minimum-size=2")
          .run(
              one ->
                  withHealth(enabled(second))
                      .withPropertyValues(
                          members,
                          "supervision.cluster.name=green",
                          "supervision.cluster.minimum-size=2")
                      .run(
                          two -> {
                            Health health = health(two);
                            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                            assertThat(health.getDetails())
                                .containsEntry("notJoined", List.of("127.0.0.1:" + first));
                            assertThat((String) health.getDetails().get("reason"))
                                .contains("of a cluster of another name")
                                .contains("supervision.cluster.name");
                            assertThat(health(one).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                          }));
    }
  }

  @Nested
  final class ReadinessGroup {
    private WebApplicationContextRunner web(int port) {
      return new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class,
                  SupervisionClusterAutoConfiguration.class,
                  ClusterHealthAutoConfiguration.class,
                  ApplicationAvailabilityAutoConfiguration.class,
                  EndpointAutoConfiguration.class,
                  HealthContributorAutoConfiguration.class,
                  HealthContributorRegistryAutoConfiguration.class,
                  HealthEndpointAutoConfiguration.class,
                  AvailabilityHealthContributorAutoConfiguration.class,
                  AvailabilityProbesAutoConfiguration.class))
          .withPropertyValues(ClusterAutoConfigurationTests.properties(port));
    }

    @Test
    void includesClusterWhenProbesAreOn() {
      web(freePort())
          .withPropertyValues("management.endpoint.health.probes.enabled=true")
          .run(
              context -> {
                HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
                assertThat(groups.get("readiness")).isNotNull();
                assertThat(groups.get("readiness").isMember("cluster")).isTrue();
                assertThat(groups.get("readiness").isMember("readinessState")).isTrue();
                assertThat(groups.get("liveness").isMember("cluster")).isFalse();
              });
    }

    @Test
    void isLeftAloneWhenProbesAreOff() {
      web(freePort())
          .withPropertyValues("management.endpoint.health.probes.enabled=false")
          .run(
              context -> {
                HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
                assertThat(groups.getNames()).doesNotContain("readiness");
                assertThat(groups.getPrimary().isMember("cluster")).isTrue();
              });
    }
  }
}

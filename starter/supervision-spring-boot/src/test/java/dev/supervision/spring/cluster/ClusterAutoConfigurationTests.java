package dev.supervision.spring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.supervision.core.process.Node;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.StartOptions;
import dev.supervision.hazelcast.ClusterConfig;
import dev.supervision.hazelcast.ClusterNode;
import dev.supervision.hazelcast.ClusterRegistry;
import dev.supervision.hazelcast.ProcessGroups;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import dev.supervision.spring.autoconfigure.SupervisionConfigurationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/*
 * Cluster mode's auto-configuration, with real Hazelcast members on loopback (each on a free port):
 * off by default and without Hazelcast, a member made from supervision.cluster.*, the
 * application's own Hazelcast configuration used as is, and bad configuration failing startup
 * naming the key.
 */
final class ClusterAutoConfigurationTests {

  static final ApplicationContextRunner RUNNER =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class,
                  SupervisionClusterAutoConfiguration.class,
                  HazelcastAutoConfiguration.class))
          .withPropertyValues("hazelcast.logging.type=none");

  /* Cluster mode on, a single member on a free loopback port, joining fast. */
  static ApplicationContextRunner enabled(int port) {
    return RUNNER.withPropertyValues(properties(port));
  }

  static String[] properties(int port) {
    return new String[] {
      "hazelcast.logging.type=none",
      "supervision.cluster.enabled=true",
      "supervision.cluster.name=test-" + port,
      "supervision.cluster.port=" + port,
      "supervision.cluster.members=127.0.0.1:" + port,
      "supervision.cluster.join-timeout=2s"
    };
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /* The configuration error that failed startup, wherever it is in the causes. */
  private static AbstractThrowableAssert<?, ? extends Throwable> startupFailure(
      AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    for (Throwable e = context.getStartupFailure(); e != null; e = e.getCause()) {
      if (e instanceof SupervisionConfigurationException) {
        return assertThat(e);
      }
    }
    throw new AssertionError(
        "no SupervisionConfigurationException in " + context.getStartupFailure());
  }

  @Nested
  final class Off {
    @Test
    void byDefaultThereIsNoClusterNodeAndNoHazelcastMember() {
      RUNNER.run(
          context ->
              assertThat(context)
                  .hasSingleBean(SupervisionTree.class)
                  .doesNotHaveBean(ClusterNode.class)
                  .doesNotHaveBean(HazelcastInstance.class));
    }

    @Test
    void withoutHazelcastOnTheClassPathTheTreeStartsAsBefore() {
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class, SupervisionClusterAutoConfiguration.class))
          .withClassLoader(
              new FilteredClassLoader(
                  "com.hazelcast.",
                  "dev.supervision.hazelcast.",
                  "org.springframework.boot.hazelcast."))
          .run(
              context ->
                  assertThat(context)
                      .hasNotFailed()
                      .hasSingleBean(SupervisionTree.class)
                      .doesNotHaveBean("supervisionClusterNode"));
    }

    @Test
    void enabledWithoutTheModuleFailsStartupSayingWhichDependencyToAdd() {
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class, SupervisionClusterAutoConfiguration.class))
          .withClassLoader(new FilteredClassLoader("dev.supervision.hazelcast."))
          .withPropertyValues("supervision.cluster.enabled=true")
          .run(
              context ->
                  startupFailure(context)
                      .hasMessageContaining("supervision.cluster.enabled")
                      .satisfies(
                          e ->
                              assertThat(((SupervisionConfigurationException) e).action())
                                  .contains("dev.supervision:supervision-hazelcast")));
    }
  }

  @Nested
  final class FromTheProperties {
    @Test
    void startsAMemberAndJoinsTheApplicationsNodeToIt() {
      int port = freePort();
      enabled(port)
          .withPropertyValues(
              "supervision.cluster.failure-detection=4s",
              "supervision.cluster.allowed-classes=com.example.**")
          .run(
              context -> {
                assertThat(context)
                    .hasSingleBean(HazelcastInstance.class)
                    .hasSingleBean(ClusterNode.class)
                    .hasSingleBean(ClusterRegistry.class)
                    .hasSingleBean(ProcessGroups.class);
                ClusterNode cluster = context.getBean(ClusterNode.class);
                assertThat(cluster.node()).isSameAs(context.getBean(Node.class));
                assertThat(cluster.options().allowedClasses()).containsExactly("com.example.**");
                Config config = context.getBean(HazelcastInstance.class).getConfig();
                assertThat(config.getClusterName()).isEqualTo("test-" + port);
                assertThat(config.getNetworkConfig().getPort()).isEqualTo(port);
                assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled())
                    .isFalse();
                assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
                    .containsExactly("127.0.0.1");
                assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("4");
                assertThat(
                        context
                            .getBean(HazelcastInstance.class)
                            .getCluster()
                            .getLocalMember()
                            .getAddress()
                            .getPort())
                    .isEqualTo(port);

                GenServer.start(
                    cluster.node(),
                    TestCounter::new,
                    StartOptions.named(cluster.registry().via("counter")));
                assertThat(context.getBean(ClusterRegistry.class).registered())
                    .containsOnlyKeys("counter");
              });
    }

    @Test
    void startsItWithoutSpringBootsHazelcastModuleToo() {
      int port = freePort();
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class, SupervisionClusterAutoConfiguration.class))
          .withPropertyValues(properties(port))
          .withClassLoader(new FilteredClassLoader("org.springframework.boot.hazelcast."))
          .run(
              context -> {
                HazelcastInstance hazelcast = context.getBean(HazelcastInstance.class);
                assertThat(hazelcast.getConfig().getClusterName()).isEqualTo("test-" + port);
                assertThat(hazelcast.getCluster().getLocalMember().getAddress().getPort())
                    .isEqualTo(port);
              });
    }

    @Test
    void protectsTheRegistryOfASideBelowTheMinimumSize() {
      int port = freePort();
      enabled(port)
          .withPropertyValues("supervision.cluster.minimum-size=2")
          .run(
              context -> {
                Config config = context.getBean(HazelcastInstance.class).getConfig();
                assertThat(config.getMapConfig("supervision.names").getSplitBrainProtectionName())
                    .isEqualTo(ClusterConfig.SPLIT_BRAIN_PROTECTION);
                assertThat(context.getBean(ClusterNode.class).hasQuorum()).isFalse();
              });
    }

    @Test
    void aMisspeltClusterKeyFailsStartupNamingTheKnownOne() {
      enabled(freePort())
          .withPropertyValues("supervision.cluster.minimum-sise=2")
          .run(
              context ->
                  startupFailure(context)
                      .hasMessageContaining("supervision.cluster.minimum-sise")
                      .hasMessageContaining("did you mean supervision.cluster.minimum-size"));
    }

    @Test
    void theInterfaceKeyIsKnown() {
      enabled(freePort())
          .withPropertyValues("supervision.cluster.interface=127.0.0.1")
          .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ClusterNode.class));
    }
  }

  @Nested
  final class TheApplicationsOwnHazelcast {
    private static Config config(int port) {
      Config config = new Config();
      config.setClusterName("mine-" + port);
      config.setProperty("hazelcast.phone.home.enabled", "false");
      config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
      config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
      config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
      return config;
    }

    @Test
    void aConfigBeanIsUsedAsIsBySpringBootsHazelcastAutoConfiguration() {
      int port = freePort();
      Config mine = config(port);
      enabled(freePort())
          .withBean("hazelcastConfig", Config.class, () -> mine)
          .run(
              context -> {
                HazelcastInstance hazelcast = context.getBean(HazelcastInstance.class);
                assertThat(hazelcast.getConfig().getClusterName()).isEqualTo("mine-" + port);
                assertThat(hazelcast.getCluster().getLocalMember().getAddress().getPort())
                    .isEqualTo(port);
                assertThat(context.getBean(ClusterNode.class).hazelcast()).isSameAs(hazelcast);
              });
    }

    @Test
    void aConfigBeanIsUsedAsIsWithoutSpringBootsHazelcastModule() {
      int port = freePort();
      Config mine = config(port);
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class, SupervisionClusterAutoConfiguration.class))
          .withPropertyValues(properties(freePort()))
          .withClassLoader(new FilteredClassLoader("org.springframework.boot.hazelcast."))
          .withBean("hazelcastConfig", Config.class, () -> mine)
          .run(
              context -> {
                HazelcastInstance hazelcast = context.getBean(HazelcastInstance.class);
                assertThat(hazelcast.getConfig().getClusterName()).isEqualTo("mine-" + port);
                assertThat(context.getBean(ClusterNode.class).hazelcast()).isSameAs(hazelcast);
              });
    }

    @Test
    void aHazelcastInstanceBeanIsJoinedAsIs() {
      int port = freePort();
      HazelcastInstance mine = Hazelcast.newHazelcastInstance(config(port));
      try {
        enabled(freePort())
            .withBean(HazelcastInstance.class, () -> mine)
            .run(
                context -> {
                  assertThat(context).hasSingleBean(HazelcastInstance.class);
                  assertThat(context.getBean(ClusterNode.class).hazelcast()).isSameAs(mine);
                });
      } finally {
        mine.shutdown();
      }
    }
  }

  @Nested
  final class BadConfiguration {
    @Test
    void aPortInUseFailsStartupNamingTheKey() throws IOException {
      try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        enabled(taken.getLocalPort())
            .run(
                context ->
                    startupFailure(context)
                        .hasMessageContaining(
                            "supervision.cluster.port "
                                + taken.getLocalPort()
                                + " is already in use"));
      }
    }

    @Test
    void aMemberWithoutAPortFailsStartupNamingTheKey() {
      enabled(freePort())
          .withPropertyValues("supervision.cluster.members=127.0.0.1")
          .run(
              context ->
                  startupFailure(context)
                      .hasMessageContaining("supervision.cluster.members")
                      .hasMessageContaining("'127.0.0.1'"));
    }

    @Test
    void aFailureDetectionBelowTwoSecondsFailsStartupNamingTheKey() {
      enabled(freePort())
          .withPropertyValues("supervision.cluster.failure-detection=500ms")
          .run(
              context ->
                  startupFailure(context)
                      .hasMessageContaining("supervision.cluster.failure-detection")
                      .hasMessageContaining("at least 2s"));
    }

    @Test
    void aMinimumSizeOfZeroFailsStartupNamingTheKey() {
      enabled(freePort())
          .withPropertyValues("supervision.cluster.minimum-size=0")
          .run(
              context ->
                  startupFailure(context).hasMessageContaining("supervision.cluster.minimum-size"));
    }

    @Test
    void anUnreachableMemberDelaysStartupByNoMoreThanTheJoinTimeout() {
      int port = freePort();
      int nobody = freePort();
      long started = System.nanoTime();
      enabled(port)
          .withPropertyValues(
              "supervision.cluster.members=127.0.0.1:" + port + ",127.0.0.1:" + nobody,
              "supervision.cluster.minimum-size=2")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(JOIN_BOUND);
                assertThat(ClusterMembers.notJoined(context.getBean(HazelcastInstance.class)))
                    .containsExactly("127.0.0.1:" + nobody);
              });
    }
  }

  /* join-timeout (2 s here) plus the first member's start in this JVM, on a loaded machine. */
  static final Duration JOIN_BOUND = Duration.ofSeconds(15);
}

package dev.supervision.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.ChildState;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.spring.SupervisedChild;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import dev.supervision.spring.metrics.SupervisionMetricsAutoConfiguration;
import dev.supervision.test.ManualTicker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/*
 * Restart backoff in the starter: supervision.supervisors.<name>.backoff.*, @SupervisedChild's
 * backoff, the supervisors endpoint's delay and next attempt, and the backing-off gauge. The node
 * runs on a manual clock: a child backs off until the test advances it, with no sleeps.
 */
final class RestartBackoffTests {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class,
                  SupervisorsEndpointAutoConfiguration.class,
                  SupervisionMetricsAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class))
          .withUserConfiguration(ManualClock.class, Feeds.class)
          .withPropertyValues(
              "management.endpoints.web.exposure.include=supervisors",
              "supervision.supervisors.feeds.max-restarts=100");

  private static final String[] TWO_TO_TEN = {
    "supervision.supervisors.feeds.backoff.min=2s",
    "supervision.supervisors.feeds.backoff.max=10s",
    "supervision.supervisors.feeds.backoff.jitter=0"
  };

  /* A feed server; Crash crashes it. */
  static final class Feed implements Server<Feed.Message> {
    sealed interface Message {}

    enum Crash implements Message {
      INSTANCE
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Crash c -> throw new IllegalStateException("feed crashed on request");
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ManualClock {
    @Bean
    ManualTicker ticker() {
      return new ManualTicker();
    }

    @Bean(destroyMethod = "close")
    Node node(ManualTicker ticker) {
      return Node.create("backoff", ticker);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Feeds {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(supervisor = "feeds", id = "feed")
    Feed feed() {
      return new Feed();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class RootFeed {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(id = "top")
    Feed top() {
      return new Feed();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBackoff {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(
        supervisor = "feeds",
        id = "own",
        backoff = @SupervisedChild.Backoff(min = "3s", max = "3s", jitter = 0, resetAfter = "1m"))
    Feed own() {
      return new Feed();
    }
  }

  /* The example of @SupervisedChild's backoff. */
  @Configuration(proxyBeanMethods = false)
  static class JavadocBackoff {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    // Javadoc: SupervisedChild.backoff
    @SupervisedChild(
        supervisor = "feeds",
        backoff = @SupervisedChild.Backoff(min = "100ms", max = "30s"))
    Feed quoted() {
      return new Feed();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class HalfBackoff {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(
        supervisor = "feeds",
        id = "half",
        backoff = @SupervisedChild.Backoff(min = "3s"))
    Feed half() {
      return new Feed();
    }
  }

  private static SupervisorRef feeds(AssertableApplicationContext context) {
    return context.getBean("supervision.supervisor.feeds", SupervisorRef.class);
  }

  private static ChildInfo child(SupervisorRef supervisor, String id) {
    return supervisor.whichChild(id).orElseThrow();
  }

  /* Crashes child `id` and waits until it backs off. */
  private static void crash(SupervisorRef supervisor, String id) {
    Pid pid = child(supervisor, id).runningPid().orElseThrow();
    ServerRef.<Feed.Message>of(pid).cast(Feed.Crash.INSTANCE);
    await().atMost(WAIT).until(() -> child(supervisor, id).state() == ChildState.BACKING_OFF);
  }

  private static void awaitRunning(SupervisorRef supervisor, String id) {
    await().atMost(WAIT).until(() -> child(supervisor, id).state() == ChildState.RUNNING);
  }

  private static String messages(Throwable failure) {
    List<String> all = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.add(String.valueOf(t.getMessage()));
    }
    return String.join("\n", all);
  }

  private void failsNaming(String expected, String... properties) {
    runner
        .withPropertyValues(properties)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure())).contains(expected);
            });
  }

  @Nested
  final class Properties {

    @Test
    void aSupervisorsBackoffDelaysTheRestartOfItsCrashedChild() {
      runner
          .withPropertyValues(TWO_TO_TEN)
          .run(
              context -> {
                ManualTicker ticker = context.getBean(ManualTicker.class);
                SupervisorRef feeds = feeds(context);

                crash(feeds, "feed");
                assertThat(child(feeds, "feed").backoff()).isEqualTo(Duration.ofSeconds(2));
                ticker.advance(Duration.ofMillis(1999));
                assertThat(child(feeds, "feed").state()).isEqualTo(ChildState.BACKING_OFF);
                ticker.advance(Duration.ofMillis(1));
                awaitRunning(feeds, "feed");

                // the second crash in a row waits min * multiplier (default 2)
                crash(feeds, "feed");
                assertThat(child(feeds, "feed").backoff()).isEqualTo(Duration.ofSeconds(4));
              });
    }

    @Test
    void theRootsBackoffDelaysTheRestartOfItsCrashedChild() {
      runner
          .withUserConfiguration(RootFeed.class)
          .withPropertyValues(
              "supervision.root.backoff.min=7s",
              "supervision.root.backoff.max=7s",
              "supervision.root.backoff.jitter=0",
              "supervision.root.max-restarts=100")
          .run(
              context -> {
                SupervisorRef root = context.getBean(SupervisionTree.class).root();

                crash(root, "top");

                assertThat(child(root, "top").backoff()).isEqualTo(Duration.ofSeconds(7));
              });
    }

    @Test
    void withoutBackoffPropertiesAChildIsRestartedAtOnceAsInOtp() {
      runner.run(
          context -> {
            SupervisorRef feeds = feeds(context);
            Pid first = child(feeds, "feed").runningPid().orElseThrow();

            ServerRef.<Feed.Message>of(first).cast(Feed.Crash.INSTANCE);

            await()
                .atMost(WAIT)
                .until(() -> child(feeds, "feed").runningPid().filter(p -> p != first).isPresent());
          });
    }

    @Test
    void aDynamicSupervisorsBackoffDelaysTheRestartOfItsChildren() {
      runner
          .withPropertyValues(
              "supervision.supervisors.rooms.type=dynamic",
              "supervision.supervisors.rooms.backoff.min=5s",
              "supervision.supervisors.rooms.backoff.max=5s")
          .run(
              context -> {
                DynamicSupervisorRef rooms =
                    context.getBean("supervision.supervisor.rooms", DynamicSupervisorRef.class);
                Pid room = rooms.startChild(ChildSpec.server("room", Feed::new));

                ServerRef.<Feed.Message>of(room).cast(Feed.Crash.INSTANCE);

                await()
                    .atMost(WAIT)
                    .until(
                        () ->
                            rooms.whichChild(room).map(ChildInfo::state).orElse(null)
                                == ChildState.BACKING_OFF);
              });
    }

    @Test
    void aMinWithoutAMaxFailsNamingTheMissingKey() {
      failsNaming(
          "supervision.supervisors.feeds.backoff.max is not set",
          "supervision.supervisors.feeds.backoff.min=1s");
    }

    @Test
    void aValueTheBackoffRefusesFailsNamingItsKey() {
      failsNaming(
          "supervision.supervisors.feeds.backoff.jitter is invalid: backoff jitter must be within"
              + " [0, 1] but was 2.0",
          "supervision.supervisors.feeds.backoff.min=1s",
          "supervision.supervisors.feeds.backoff.max=2s",
          "supervision.supervisors.feeds.backoff.jitter=2");
      failsNaming(
          "supervision.supervisors.feeds.backoff.max is invalid: backoff max must be >= min",
          "supervision.supervisors.feeds.backoff.min=5s",
          "supervision.supervisors.feeds.backoff.max=1s");
    }

    @Test
    void aMisspeltBackoffKeyFailsNamingTheNearest() {
      failsNaming(
          "supervision.supervisors.feeds.backoff.mn is not a supervision property; did you mean"
              + " supervision.supervisors.feeds.backoff.min?",
          "supervision.supervisors.feeds.backoff.mn=1s");
    }
  }

  @Nested
  final class Annotation {

    @Test
    void aBeansOwnBackoffAppliesWhereItsSupervisorHasNone() {
      runner
          .withUserConfiguration(OwnBackoff.class)
          .run(
              context -> {
                ManualTicker ticker = context.getBean(ManualTicker.class);
                SupervisorRef feeds = feeds(context);

                crash(feeds, "own");
                assertThat(child(feeds, "own").backoff()).isEqualTo(Duration.ofSeconds(3));
                ticker.advance(Duration.ofSeconds(3));
                awaitRunning(feeds, "own");
              });
    }

    @Test
    void aBeansOwnBackoffWinsOverItsSupervisors() {
      runner
          .withUserConfiguration(OwnBackoff.class)
          .withPropertyValues(TWO_TO_TEN)
          .run(
              context -> {
                SupervisorRef feeds = feeds(context);

                crash(feeds, "own");
                crash(feeds, "feed");

                assertThat(child(feeds, "own").backoff()).isEqualTo(Duration.ofSeconds(3));
                assertThat(child(feeds, "feed").backoff()).isEqualTo(Duration.ofSeconds(2));
              });
    }

    /* The Javadoc's example: 100 ms, doubling up to 30 s, 20 % jitter by default. */
    @Test
    void theJavadocsExampleWaitsAboutItsMinimumAfterAFirstCrash() {
      runner
          .withUserConfiguration(JavadocBackoff.class)
          .run(
              context -> {
                SupervisorRef feeds = feeds(context);

                crash(feeds, "quoted");

                assertThat(child(feeds, "quoted").backoff())
                    .isBetween(Duration.ofMillis(80), Duration.ofMillis(120));
              });
    }

    @Test
    void aBackoffWithoutAMaxFailsNamingTheBean() {
      runner
          .withUserConfiguration(HalfBackoff.class)
          .run(
              context -> {
                assertThat(context).hasFailed();
                assertThat(messages(context.getStartupFailure()))
                    .contains("@SupervisedChild bean 'half' has a backoff without max");
              });
    }
  }

  @Nested
  final class Endpoint {

    @Test
    void showsTheDelayAndNextAttemptOfABackingOffChild() {
      runner
          .withPropertyValues(TWO_TO_TEN)
          .run(
              context -> {
                SupervisorRef feeds = feeds(context);
                SupervisorsEndpoint endpoint = context.getBean(SupervisorsEndpoint.class);
                SupervisorsEndpoint.SupervisorDescriptor before = endpoint.supervisor("feeds");
                assertThat(before).isNotNull();
                assertThat(before.children().getFirst().backoff()).isNull();

                crash(feeds, "feed");

                SupervisorsEndpoint.SupervisorDescriptor after = endpoint.supervisor("feeds");
                assertThat(after).isNotNull();
                SupervisorsEndpoint.ChildDescriptor feed = after.children().getFirst();
                assertThat(feed.state()).isEqualTo("backing-off");
                assertThat(feed.backoff()).isNotNull();
                assertThat(feed.backoff().delay()).isEqualTo(Duration.ofSeconds(2));
                assertThat(feed.backoff().nextAttempt()).isNotNull();
              });
    }
  }

  @Nested
  final class Metric {

    @Test
    void countsTheChildrenBackingOffBySupervisorAndChildId() {
      runner
          .withPropertyValues(TWO_TO_TEN)
          .run(
              context -> {
                ManualTicker ticker = context.getBean(ManualTicker.class);
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                SupervisorRef feeds = feeds(context);
                assertThat(backingOff(meters)).isZero();

                crash(feeds, "feed");
                await().atMost(WAIT).until(() -> backingOff(meters) == 1.0);

                ticker.advance(Duration.ofSeconds(2));
                awaitRunning(feeds, "feed");
                await().atMost(WAIT).until(() -> backingOff(meters) == 0.0);
              });
    }

    /* terminateChild of a child backing off publishes no event: the gauge still sees it go. */
    @Test
    void aChildTerminatedWhileBackingOffIsNoLongerCounted() {
      runner
          .withPropertyValues(TWO_TO_TEN)
          .run(
              context -> {
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                SupervisorRef feeds = feeds(context);
                crash(feeds, "feed");
                await().atMost(WAIT).until(() -> backingOff(meters) == 1.0);

                feeds.terminateChild("feed");

                assertThat(child(feeds, "feed").state()).isEqualTo(ChildState.STOPPED);
                await().atMost(WAIT).until(() -> backingOff(meters) == 0.0);
              });
    }

    private static double backingOff(MeterRegistry meters) {
      return meters
          .get("supervision.children.backing.off")
          .tags("supervisor", "feeds", "child", "feed")
          .gauge()
          .value();
    }
  }
}

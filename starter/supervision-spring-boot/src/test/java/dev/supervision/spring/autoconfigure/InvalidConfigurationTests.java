package dev.supervision.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.spring.autoconfigure.TestServers.JournalConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.NotAServerConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.PoolWorkerConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.SignificantConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.SignificantPermanentConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.SingletonChildConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.UnknownSupervisorConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

final class InvalidConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SupervisionAutoConfiguration.class))
          .withUserConfiguration(JournalConfiguration.class, PoolWorkerConfiguration.class);

  private void failsNaming(String expected, String... properties) {
    runner
        .withPropertyValues(properties)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(messages(context.getStartupFailure())).contains(expected);
            });
  }

  private static String messages(Throwable failure) {
    List<String> all = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.add(String.valueOf(t.getMessage()));
    }
    return String.join("\n", all);
  }

  @Nested
  final class Properties {

    @Test
    void negativeMaxRestartsFailsNamingTheKey() {
      failsNaming(
          "supervision.supervisors.workers.max-restarts must be >= 0 but was -1",
          "supervision.supervisors.workers.max-restarts=-1");
    }

    @Test
    void nonPositiveWithinFailsNamingTheKey() {
      failsNaming(
          "supervision.root.within must be a positive duration (e.g. 5s) but was PT0S",
          "supervision.root.within=0s");
    }

    @Test
    void unknownParentFailsListingTheSupervisors() {
      failsNaming(
          "supervision.supervisors.workers.parent is 'nowhere', which is not a supervisor;"
              + " allowed: root, other",
          "supervision.supervisors.workers.parent=nowhere",
          "supervision.supervisors.other.strategy=one-for-all");
    }

    @Test
    void aCycleOfParentsFailsShowingTheCycle() {
      failsNaming(
          "supervision.supervisors.a.parent forms a cycle: a -> b -> a",
          "supervision.supervisors.a.parent=b",
          "supervision.supervisors.b.parent=a");
    }

    @Test
    void unknownStrategyFailsNamingTheKey() {
      failsNaming(
          "supervision.supervisors.workers.strategy",
          "supervision.supervisors.workers.strategy=one-for-none");
    }

    @Test
    void maxChildrenOnAStaticSupervisorFails() {
      failsNaming(
          "supervision.supervisors.workers.max-children applies only to type 'dynamic'",
          "supervision.supervisors.workers.max-children=4");
    }

    @Test
    void autoShutdownOnADynamicSupervisorFails() {
      failsNaming(
          "supervision.supervisors.jobs.auto-shutdown applies only to type 'static'",
          "supervision.supervisors.jobs.type=dynamic",
          "supervision.supervisors.jobs.auto-shutdown=any-significant");
    }

    @Test
    void aSignificantPermanentSupervisorFailsNamingTheRestart() {
      failsNaming(
          "supervision.supervisors.job.significant=true needs restart 'transient' or 'temporary'",
          "supervision.supervisors.batch.auto-shutdown=any-significant",
          "supervision.supervisors.job.parent=batch",
          "supervision.supervisors.job.significant=true");
    }

    @Test
    void aSignificantSupervisorUnderAParentWithoutAutoShutdownFails() {
      failsNaming(
          "supervision.supervisors.job.significant=true needs a parent with an auto-shutdown, but"
              + " 'root' has none",
          "supervision.supervisors.job.restart=transient",
          "supervision.supervisors.job.significant=true");
    }

    @Test
    void nonPositivePoolSizeFailsNamingTheKey() {
      failsNaming(
          "supervision.load-balancers.pricers.pool-size must be > 0 but was 0",
          "supervision.load-balancers.pricers.worker=pricer",
          "supervision.load-balancers.pricers.pool-size=0");
    }

    @Test
    void aBalancerOverAUniqueRegistryFails() {
      failsNaming(
          "supervision.load-balancers.search.registry 'names' has unique keys",
          "supervision.registries.names.keys=unique",
          "supervision.load-balancers.search.registry=names",
          "supervision.load-balancers.search.key=search");
    }

    @Test
    void nonPositivePartitionsFailNamingTheKey() {
      failsNaming(
          "supervision.registries.names.partitions must be >= 1 but was 0",
          "supervision.registries.names.partitions=0");
    }
  }

  @Nested
  final class Beans {

    @Test
    void aWorkerBeanThatIsNotPrototypeScopedFails() {
      failsNaming(
          "supervision.load-balancers.pricers.worker is 'singletonServer', a bean that is not"
              + " prototype-scoped",
          "supervision.load-balancers.pricers.worker=singletonServer",
          "supervision.load-balancers.pricers.pool-size=2");
    }

    @Test
    void aWorkerThatIsNotAServerFails() {
      failsNaming(
          "supervision.load-balancers.pricers.worker is 'journal', a bean that does not implement",
          "supervision.load-balancers.pricers.worker=journal",
          "supervision.load-balancers.pricers.pool-size=2");
    }

    @Test
    void aSupervisedChildNamingAnUnknownSupervisorFails() {
      runner
          .withUserConfiguration(UnknownSupervisorConfiguration.class)
          .run(
              context ->
                  assertThat(messages(context.getStartupFailure()))
                      .contains(
                          "@SupervisedChild bean 'orphan' names supervisor 'nowhere', which does"
                              + " not exist"));
    }

    @Test
    void aSignificantPermanentSupervisedChildFails() {
      runner
          .withUserConfiguration(SignificantPermanentConfiguration.class)
          .run(
              context -> {
                assertThat(context).hasFailed();
                assertThat(messages(context.getStartupFailure()))
                    .contains("@SupervisedChild bean 'job' is significant but permanent");
              });
    }

    @Test
    void aSignificantSupervisedChildUnderASupervisorWithoutAutoShutdownFails() {
      runner
          .withUserConfiguration(SignificantConfiguration.class)
          .withPropertyValues("supervision.supervisors.batch.strategy=one-for-one")
          .run(
              context -> {
                assertThat(context).hasFailed();
                assertThat(messages(context.getStartupFailure()))
                    .contains(
                        "child 'job' is significant, but supervisor 'batch' has no auto-shutdown");
              });
    }

    @Test
    void aSingletonSupervisedChildFails() {
      runner
          .withUserConfiguration(SingletonChildConfiguration.class)
          .run(
              context ->
                  assertThat(messages(context.getStartupFailure()))
                      .contains("@SupervisedChild bean 'lonely' is not prototype-scoped"));
    }

    @Test
    void aSupervisedChildThatIsNotAServerFails() {
      runner
          .withUserConfiguration(NotAServerConfiguration.class)
          .run(
              context ->
                  assertThat(messages(context.getStartupFailure()))
                      .contains("@SupervisedChild bean 'notAServer' does not implement"));
    }
  }

  @Nested
  @ExtendWith(OutputCaptureExtension.class)
  final class FailureReport {

    @Test
    void anUnknownStrategyIsReportedWithTheAllowedValues(CapturedOutput output) {
      start("--supervision.supervisors.workers.strategy=one-for-none");
      assertThat(output)
          .contains("APPLICATION FAILED TO START")
          .contains("supervision.supervisors.workers.strategy")
          .contains("ONE_FOR_ONE")
          .contains("REST_FOR_ONE");
    }

    @Test
    void aSupervisedChildOfAnUnknownSupervisorIsReportedWithTheFix(CapturedOutput output) {
      start(UnknownSupervisorApplication.class);
      assertThat(output)
          .contains("APPLICATION FAILED TO START")
          .contains("@SupervisedChild bean 'orphan' names supervisor 'nowhere'")
          .contains("Action:")
          .contains("declare it with supervision.supervisors.nowhere.type=static|dynamic");
    }

    @Test
    void anInvalidPropertyIsReportedWithItsKey(CapturedOutput output) {
      start("--supervision.supervisors.workers.max-restarts=-1");
      assertThat(output)
          .contains("APPLICATION FAILED TO START")
          .contains("supervision.supervisors.workers.max-restarts must be >= 0 but was -1");
    }

    private void start(String... args) {
      start(EmptyApplication.class, args);
    }

    private void start(Class<?> source, String... args) {
      SpringApplication application = new SpringApplication(source);
      application.setWebApplicationType(WebApplicationType.NONE);
      try {
        application.run(args).close();
      } catch (RuntimeException expected) {
        // the failure report has been logged
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(SupervisionAutoConfiguration.class)
  static class EmptyApplication {}

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(SupervisionAutoConfiguration.class)
  @Import({JournalConfiguration.class, UnknownSupervisorConfiguration.class})
  static class UnknownSupervisorApplication {}
}

package dev.supervision.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.spring.SupervisedChildSpec;
import dev.supervision.spring.autoconfigure.TestServers.Journal;
import dev.supervision.spring.autoconfigure.TestServers.JournalConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.NotAServerConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.PoolWorkerConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.Recording;
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
import org.springframework.context.annotation.Bean;
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
          "supervision.supervisors.workers.max-restarts is invalid: supervisor 'workers':"
              + " maxRestarts must be >= 0 but was -1",
          "supervision.supervisors.workers.max-restarts=-1");
    }

    @Test
    void nonPositiveWithinFailsNamingTheKey() {
      failsNaming(
          "supervision.root.within is invalid: supervisor 'root': within must be a positive duration"
              + " but was PT0S",
          "supervision.root.within=0s");
    }

    @Test
    void unknownParentFailsListingTheSupervisors() {
      failsNaming(
          "supervision.supervisors.workers.parent is invalid: supervisor 'workers' has parent"
              + " 'nowhere', which is not a supervisor of the tree; use one of root, other",
          "supervision.supervisors.workers.parent=nowhere",
          "supervision.supervisors.other.strategy=one-for-all");
    }

    @Test
    void aCycleOfParentsFailsShowingTheCycle() {
      failsNaming(
          "supervision.supervisors.a.parent is invalid: supervisors form a cycle of parents:"
              + " a -> b -> a",
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
          "supervision.supervisors.job.restart is invalid: child spec 'job' is significant and"
              + " permanent; a significant child must be transient or temporary",
          "supervision.supervisors.batch.auto-shutdown=any-significant",
          "supervision.supervisors.job.parent=batch",
          "supervision.supervisors.job.significant=true");
    }

    @Test
    void aSignificantSupervisorUnderAParentWithoutAutoShutdownFails() {
      failsNaming(
          "supervision.supervisors.job.significant is invalid: supervisor 'root' has auto-shutdown"
              + " NEVER but child 'job' is significant",
          "supervision.supervisors.job.restart=transient",
          "supervision.supervisors.job.significant=true");
    }

    @Test
    void nonPositivePoolSizeFailsNamingTheKey() {
      failsNaming(
          "supervision.load-balancers.pricers.pool-size is invalid: pool 'pricers': size must be >"
              + " 0 but was 0",
          "supervision.load-balancers.pricers.worker=pricer",
          "supervision.load-balancers.pricers.pool-size=0");
    }

    @Test
    void aBalancerOverAUniqueRegistryFails() {
      failsNaming(
          "supervision.load-balancers.search.registry is invalid: load balancer over registry"
              + " 'names': the registry must have DUPLICATE keys",
          "supervision.registries.names.keys=unique",
          "supervision.load-balancers.search.registry=names",
          "supervision.load-balancers.search.key=search");
    }

    @Test
    void aBlankRootNameFailsNamingTheKey() {
      failsNaming(
          "supervision.root.name is invalid: supervisor name must not be null or blank",
          "supervision.root.name= ");
    }

    @Test
    void aSupervisorNamedLikeTheRootFailsNamingItsKey() {
      failsNaming(
          "supervision.supervisors.root is invalid: supervisor 'root' has the root supervisor's"
              + " name",
          "supervision.supervisors.root.type=dynamic");
    }

    @Test
    void aPoolUnderAnUnknownSupervisorFailsNamingItsParentKey() {
      failsNaming(
          "supervision.load-balancers.pricers.parent is invalid: child 'pricers-pool' is added to"
              + " supervisor 'nowhere', which is not a supervisor of the tree; use one of root",
          "supervision.load-balancers.pricers.worker=pricer",
          "supervision.load-balancers.pricers.pool-size=1",
          "supervision.load-balancers.pricers.parent=nowhere");
    }

    @Test
    void aLoadBalancerWithNeitherAWorkerNorARegistryKeyFails() {
      failsNaming(
          "supervision.load-balancers.search needs either '.worker' (a prototype Server bean) with"
              + " '.pool-size', or '.registry' and '.key' (a duplicate registry key), not neither",
          "supervision.load-balancers.search.strategy=least-loaded");
    }

    @Test
    void nonPositivePartitionsFailNamingTheKey() {
      failsNaming(
          "supervision.registries.names.partitions is invalid: registry 'names': partitions must"
              + " be >= 1 but was 0",
          "supervision.registries.names.partitions=0");
    }
  }

  @Nested
  final class UnknownKeys {

    @Test
    void aMisspeltKeyOfASupervisorFailsNamingItAndTheNearestKey() {
      failsNaming(
          "supervision.supervisors.chat.max-restart is not a supervision property; did you mean"
              + " supervision.supervisors.chat.max-restarts?",
          "supervision.supervisors.chat.max-restart=5");
    }

    @Test
    void aMisspeltKeyOfTheRootFailsNamingItAndTheNearestKey() {
      failsNaming(
          "supervision.root.typ is not a supervision property; did you mean"
              + " supervision.root.name?",
          "supervision.root.typ=static");
    }

    @Test
    void aMisspeltHealthProbeKeyFailsNamingTheKey() {
      failsNaming(
          "supervision.health.prob is not a supervision property; did you mean"
              + " supervision.health.probe?",
          "supervision.health.prob=liveness");
    }

    @Test
    void aMisspeltMapFailsNamingTheKeyItMeant() {
      failsNaming(
          "supervision.supervisor.chat.type is not a supervision property; did you mean"
              + " supervision.supervisors.chat.type?",
          "supervision.supervisor.chat.type=dynamic");
    }

    @Test
    void misspeltKeysOfARegistryAndALoadBalancerFailTogether() {
      failsNaming(
          "supervision.registries.names.key is not a supervision property; did you mean"
              + " supervision.registries.names.keys? (from property source 'test')\n"
              + "supervision.load-balancers.pricers.pool is not a supervision property; did you"
              + " mean supervision.load-balancers.pricers.pool-size?",
          "supervision.registries.names.key=unique",
          "supervision.load-balancers.pricers.pool=3");
    }

    @Test
    void aKeyWithinAMapKeyThatTheBinderWouldNotReachFails() {
      failsNaming(
          "supervision.supervisors.chat.rooms.type is not a supervision property",
          "supervision.supervisors.chat.rooms.type=dynamic");
    }

    @Test
    void camelCaseKeysAndIndexedMapKeysAreKnown() {
      runner
          .withPropertyValues(
              "supervision.supervisors.chat.maxRestarts=7",
              "supervision.supervisors[rooms].type=dynamic",
              "supervision.loadBalancers.pricers.worker=pricer",
              "supervision.loadBalancers.pricers.poolSize=1",
              "supervision.root.on-give-up=report-down",
              "supervision.enabled=true")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                SupervisionProperties properties = context.getBean(SupervisionProperties.class);
                assertThat(properties.supervisors().get("chat").maxRestarts()).isEqualTo(7);
                assertThat(properties.supervisors().get("rooms").type())
                    .isEqualTo(SupervisionProperties.SupervisorType.DYNAMIC);
                assertThat(properties.loadBalancers().get("pricers").poolSize()).isEqualTo(1);
              });
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
                          "@SupervisedChild bean 'orphan' is invalid: child 'orphan' is added to"
                              + " supervisor 'nowhere', which is not a supervisor of the tree"));
    }

    @Test
    void aSignificantPermanentSupervisedChildFails() {
      runner
          .withUserConfiguration(SignificantPermanentConfiguration.class)
          .run(
              context -> {
                assertThat(context).hasFailed();
                assertThat(messages(context.getStartupFailure()))
                    .contains(
                        "@SupervisedChild bean 'job' is invalid: child spec 'job' is significant"
                            + " and permanent");
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
                        "@SupervisedChild bean 'job' is invalid: supervisor 'batch' has"
                            + " auto-shutdown NEVER but child 'job' is significant");
              });
    }

    @Test
    void aSupervisedChildWithTheIdOfASupervisorBesideItFails() {
      runner
          .withUserConfiguration(WorkersChildConfiguration.class)
          .withPropertyValues("supervision.supervisors.workers.strategy=one-for-all")
          .run(
              context -> {
                assertThat(context).hasFailed();
                assertThat(messages(context.getStartupFailure()))
                    .contains(
                        "supervision.root is invalid: supervisor 'root' has two children with id"
                            + " 'workers'; give one of them another id");
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
          .contains("@SupervisedChild bean 'orphan' is invalid")
          .contains("child 'orphan' is added to supervisor 'nowhere'")
          .contains("Action:")
          .contains("declare it with supervision.supervisors.nowhere.type=static|dynamic");
    }

    @Test
    void anInvalidPropertyIsReportedWithItsKey(CapturedOutput output) {
      start("--supervision.supervisors.workers.max-restarts=-1");
      assertThat(output)
          .contains("APPLICATION FAILED TO START")
          .contains("supervision.supervisors.workers.max-restarts is invalid")
          .contains("maxRestarts must be >= 0 but was -1");
    }

    @Test
    void aMisspeltKeyIsReportedWithTheKeysThatExistThere(CapturedOutput output) {
      start("--supervision.supervisors.chat.max-restart=5");
      assertThat(output)
          .contains("APPLICATION FAILED TO START")
          .contains(
              "supervision.supervisors.chat.max-restart is not a supervision property; did you mean"
                  + " supervision.supervisors.chat.max-restarts? (from property source"
                  + " 'commandLineArgs')")
          .contains("Action:")
          .contains(
              "The keys there are supervision.supervisors.chat: type, parent, strategy,"
                  + " max-restarts, within, max-children, restart, significant, auto-shutdown.");
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

  /* A child of the root whose id is the name of a supervisor under the root. */
  @Configuration(proxyBeanMethods = false)
  static class WorkersChildConfiguration {
    @Bean
    SupervisedChildSpec workersChild(Journal journal) {
      return SupervisedChildSpec.ofRoot(
          ChildSpec.server("workers", () -> new Recording(journal, "workers")));
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

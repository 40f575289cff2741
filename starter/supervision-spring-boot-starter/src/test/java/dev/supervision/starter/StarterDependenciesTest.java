package dev.supervision.starter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/*
 * What an application gets from a plain dependency on the starter: these tests run on the starter's
 * own runtime class path, which is what Maven or Gradle gives a project that declares it.
 */
final class StarterDependenciesTest {

  @Test
  void bringsTheRuntimeItsAutoConfigurationAndActuator() {
    assertThat(present("dev.supervision.core.supervisor.Supervisor")).isTrue();
    assertThat(present("dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration"))
        .isTrue();
    assertThat(present("org.springframework.boot.actuate.endpoint.annotation.Endpoint")).isTrue();
    assertThat(present("io.micrometer.core.instrument.MeterRegistry")).isTrue();
  }

  @Test
  void leavesTheChoiceOfAMetricsRegistryToTheApplication() {
    assertThat(present("io.micrometer.prometheusmetrics.PrometheusMeterRegistry")).isFalse();
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, StarterDependenciesTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}

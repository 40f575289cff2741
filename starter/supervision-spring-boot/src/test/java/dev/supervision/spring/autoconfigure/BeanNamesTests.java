package dev.supervision.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.registry.Keys;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.spring.LoadBalancerNamed;
import dev.supervision.spring.RegistryNamed;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.SupervisorNamed;
import dev.supervision.spring.autoconfigure.TestServers.JournalConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.PoolWorkerConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.Recording;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/* Supervisors, registries and load balancers as beans that cannot take an application bean's name. */
final class BeanNamesTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SupervisionAutoConfiguration.class))
          .withUserConfiguration(JournalConfiguration.class, PoolWorkerConfiguration.class)
          .withPropertyValues(
              "supervision.supervisors.rooms.type=dynamic",
              "supervision.registries.rooms.keys=duplicate",
              "supervision.load-balancers.rooms.worker=pricer",
              "supervision.load-balancers.rooms.pool-size=1");

  @Test
  void anApplicationBeanNamedLikeASupervisorARegistryAndALoadBalancerLivesBesideThem() {
    runner
        .withUserConfiguration(RoomsServiceConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean("rooms")).isInstanceOf(Rooms.class);
              assertThat(context.getBean("supervision.supervisor.rooms"))
                  .isInstanceOf(DynamicSupervisorRef.class);
              assertThat(context.getBean("supervision.registry.rooms"))
                  .isInstanceOf(Registry.class);
              assertThat(context.getBean("supervision.load-balancer.rooms"))
                  .isInstanceOf(WorkerPool.class);
            });
  }

  @Test
  void eachPartIsInjectedByItsQualifierAndName() {
    runner
        .withUserConfiguration(RoomsServiceConfiguration.class, InjectedConfiguration.class)
        .run(
            context -> {
              Injected injected = context.getBean(Injected.class);
              SupervisionTree tree = context.getBean(SupervisionTree.class);
              assertThat(injected.root()).isEqualTo(tree.root());
              assertThat(injected.rooms()).isEqualTo(tree.supervisor("rooms"));
              assertThat(injected.rooms().whereis()).isNotNull();
              assertThat(injected.names().keys()).isEqualTo(Keys.DUPLICATE);
              assertThat(injected.names().name()).isEqualTo("rooms");
              assertThat(injected.pool().name()).isEqualTo("rooms");
              assertThat(injected.pool().call(Recording.Get::new)).isPositive();
            });
  }

  /* An application service that happens to be named like the tree's parts. */
  static final class Rooms {}

  @Configuration(proxyBeanMethods = false)
  static class RoomsServiceConfiguration {
    @Bean
    Rooms rooms() {
      return new Rooms();
    }
  }

  record Injected(
      SupervisorRef root,
      DynamicSupervisorRef rooms,
      Registry<String, Object> names,
      WorkerPool<Recording.Message> pool) {}

  @Configuration(proxyBeanMethods = false)
  static class InjectedConfiguration {
    @Bean
    Injected injected(
        @SupervisorNamed("root") SupervisorRef root,
        @SupervisorNamed("rooms") DynamicSupervisorRef rooms,
        @RegistryNamed("rooms") Registry<String, Object> names,
        @LoadBalancerNamed("rooms") WorkerPool<Recording.Message> pool) {
      return new Injected(root, rooms, names, pool);
    }
  }
}

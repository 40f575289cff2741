package dev.supervision.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.balance.BalanceStrategy;
import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Keys;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.spring.autoconfigure.TestServers.JournalConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.PoolWorkerConfiguration;
import dev.supervision.spring.autoconfigure.TestServers.Recording;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

final class RegistriesAndLoadBalancersTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SupervisionAutoConfiguration.class))
          .withUserConfiguration(JournalConfiguration.class, PoolWorkerConfiguration.class);

  @Test
  void declaredRegistriesAreBeansOfTheirNames() {
    runner
        .withPropertyValues(
            "supervision.registries.rooms.keys=unique",
            "supervision.registries.topics.keys=duplicate",
            "supervision.registries.topics.partitions=2")
        .run(
            context -> {
              Registry<?, ?> rooms = context.getBean("supervision.registry.rooms", Registry.class);
              Registry<?, ?> topics =
                  context.getBean("supervision.registry.topics", Registry.class);
              assertThat(rooms.keys()).isEqualTo(Keys.UNIQUE);
              assertThat(topics.keys()).isEqualTo(Keys.DUPLICATE);
              assertThat(topics.spec().partitions()).isEqualTo(2);
              assertThat(Registry.find(context.getBean(Node.class), "rooms")).containsSame(rooms);
            });
  }

  @Test
  void aPoolRunsUnderItsParentSupervisorAndBalancesRoundRobin() {
    runner
        .withPropertyValues(
            "supervision.supervisors.pricing.strategy=one-for-one",
            "supervision.load-balancers.pricers.worker=pricer",
            "supervision.load-balancers.pricers.pool-size=3",
            "supervision.load-balancers.pricers.parent=pricing")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              WorkerPool<Recording.Message> pool = pricers(context);
              assertThat(pool.strategy()).isEqualTo(BalanceStrategy.ROUND_ROBIN);
              assertThat(
                      context
                          .getBean("supervision.supervisor.pricing", SupervisorRef.class)
                          .whichChildren()
                          .stream()
                          .map(ChildInfo::id))
                  .containsExactly("pricers-pool");
              await().atMost(Duration.ofSeconds(5)).until(() -> pool.workers().size() == 3);
              java.util.Set<Integer> instances = new java.util.HashSet<>();
              for (int i = 0; i < 3; i++) {
                instances.add(pool.call(Recording.Get::new));
              }
              assertThat(instances).hasSize(3);
              assertThat(pool.dispatches()).isEqualTo(3);
            });
  }

  @Test
  void aBalancerOverADuplicateKeyPicksTheRegisteredProcesses() {
    runner
        .withPropertyValues(
            "supervision.registries.groups.keys=duplicate",
            "supervision.load-balancers.search.registry=groups",
            "supervision.load-balancers.search.key=search",
            "supervision.load-balancers.search.strategy=least-loaded")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              @SuppressWarnings("unchecked")
              Registry<String, Object> groups =
                  context.getBean("supervision.registry.groups", Registry.class);
              LoadBalancer<?> search =
                  context.getBean("supervision.load-balancer.search", LoadBalancer.class);
              assertThat(search.strategy()).isEqualTo(BalanceStrategy.LEAST_LOADED);
              Node node = context.getBean(Node.class);
              CountDownLatch registered = new CountDownLatch(1);
              Pid member =
                  node.spawn(
                      self -> {
                        groups.register("search", "member");
                        registered.countDown();
                        self.receive();
                      });
              registered.await();
              await().atMost(Duration.ofSeconds(5)).until(() -> search.workers().size() == 1);
              assertThat(search.select()).isSameAs(member);
              member.send("stop");
            });
  }

  @Test
  void poolWorkersRestartAsFreshBeans() {
    runner
        .withPropertyValues(
            "supervision.load-balancers.pricers.worker=pricer",
            "supervision.load-balancers.pricers.pool-size=1")
        .run(
            context -> {
              WorkerPool<Recording.Message> pool = pricers(context);
              Pid first = pool.select(Duration.ofSeconds(5));
              ServerRef<Recording.Message> worker = ServerRef.of(first);
              int instance = worker.call(Recording.Get::new);
              worker.cast(Recording.Crash.INSTANCE);
              await()
                  .atMost(Duration.ofSeconds(5))
                  .until(
                      () -> {
                        Pid p = pool.select(Duration.ofSeconds(1));
                        return p != first;
                      });
              int next = pool.call(Recording.Get::new);
              assertThat(next).isNotEqualTo(instance);
            });
  }

  /* The pool bean, whose workers are Recording beans. */
  @SuppressWarnings("unchecked")
  private static WorkerPool<Recording.Message> pricers(ApplicationContext context) {
    return context.getBean("supervision.load-balancer.pricers", WorkerPool.class);
  }
}

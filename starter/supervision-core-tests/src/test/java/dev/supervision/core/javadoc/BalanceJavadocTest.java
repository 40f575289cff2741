package dev.supervision.core.javadoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.balance.BalanceStrategy;
import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.LoadBalancers;
import dev.supervision.core.balance.PoolSpec;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.javadoc.Examples.Price;
import dev.supervision.core.javadoc.Examples.PriceWorker;
import dev.supervision.core.javadoc.Examples.SearchWorker;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorDirectory;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.test.SupervisionTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * The Javadoc examples of the balance package, each quoted verbatim after a "// Javadoc: Type"
 * comment that names its source (JavadocSnippetsTest checks that every one is quoted), run, with
 * what they claim asserted.
 */
@SupervisionTest
final class BalanceJavadocTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Nested
  final class LoadBalancerExample {

    @Test
    @SuppressWarnings("UnusedVariable") // the example's price and next are what it shows
    void aPoolOfFourWorkersServesCallsCastsAndSelectsUntilClosed(Node node) {
      List<SupervisionEvent> events = new CopyOnWriteArrayList<>();
      EventBus.of(node).subscribe(events::add);

      // Javadoc: LoadBalancer
      try (WorkerPool<PriceWorker.Message> pool =
          LoadBalancers.pool(node, "pricing", 4, PriceWorker::new, BalanceStrategy.ROUND_ROBIN)) {
        Price price = pool.call(replyTo -> new PriceWorker.Quote("ACME", replyTo));
        pool.cast(new PriceWorker.Refresh("ACME"));
        Pid next = pool.select(Duration.ofSeconds(1));
      }

      assertThat(events)
          .filteredOn(SupervisionEvent.ChildStarted.class::isInstance)
          .extracting(event -> ((SupervisionEvent.ChildStarted) event).child())
          .containsExactly("pricing-0", "pricing-1", "pricing-2", "pricing-3");
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
    }
  }

  @Nested
  final class LoadBalancersExample {

    @Test
    void aPoolBalancesOverItsWorkersAndAKeyBalancerOverTheProcessesUnderItsKey(Node node) {
      // Javadoc: LoadBalancers
      WorkerPool<PriceWorker.Message> pool =
          LoadBalancers.pool(node, "pricing", 4, PriceWorker::new, BalanceStrategy.ROUND_ROBIN);

      Registry<String, Object> groups = Registry.duplicate(node, "groups");
      LoadBalancer<SearchWorker.Message> search =
          LoadBalancers.overKey(groups, "search", BalanceStrategy.LEAST_LOADED);

      ServerRef<SearchWorker.Message> worker =
          GenServer.start(node, () -> new SearchWorker(groups));
      Price quote = pool.call(r -> new PriceWorker.Quote("ACME", r));
      List<String> found = search.call(r -> new SearchWorker.Search("jvm", r));

      assertThat(pool.workers()).hasSize(4);
      assertThat(quote).isEqualTo(new Price("ACME", 100));
      assertThat(search.name()).isEqualTo("groups/search");
      assertThat(search.select(TIMEOUT)).isEqualTo(worker.pid());
      assertThat(found).containsExactly("jvm");
      search.close();
      pool.close();
      worker.stop();
    }
  }

  @Nested
  final class PoolSpecExample {

    @Test
    void aPoolSpecKeepsItsStrategyAndIntensity() {
      // Javadoc: PoolSpec
      PoolSpec<PriceWorker.Message> spec =
          PoolSpec.of("pricing", 4, PriceWorker::new)
              .withStrategy(BalanceStrategy.LEAST_LOADED)
              .withIntensity(10, Duration.ofSeconds(5));

      assertThat(spec.size()).isEqualTo(4);
      assertThat(spec.strategy()).isEqualTo(BalanceStrategy.LEAST_LOADED);
      assertThat(spec.maxRestarts()).isEqualTo(10);
      assertThat(spec.within()).isEqualTo(Duration.ofSeconds(5));
      assertThat(spec.supervisorName()).isEqualTo("pricing-pool");
    }
  }

  @Nested
  final class WorkerPoolExample {

    @Test
    void aPoolOfItsOwnAndAPoolInATreeBothServe(Node node) {
      // Javadoc: WorkerPool
      // a pool of its own, stopped by close():
      WorkerPool<PriceWorker.Message> pool =
          LoadBalancers.pool(node, "pricing", 4, PriceWorker::new, BalanceStrategy.ROUND_ROBIN);

      // or a pool inside an existing tree:
      WorkerPool<SearchWorker.Message> pool2 =
          LoadBalancers.supervisedPool(PoolSpec.of("search", 8, SearchWorker::new));
      Supervisor.start(
          node, SupervisorSpec.of("app", Strategy.ONE_FOR_ONE).withChildren(pool2.childSpec()));

      Price quote = pool.call(r -> new PriceWorker.Quote("ACME", r));
      List<String> found = pool2.call(r -> new SearchWorker.Search("jvm", r));

      assertThat(quote).isEqualTo(new Price("ACME", 100));
      assertThat(found).containsExactly("jvm");
      assertThat(pool2.workers()).hasSize(8);
      SupervisorDirectory.Entry app =
          SupervisorDirectory.of(node).roots().stream()
              .filter(entry -> entry.name().equals("app"))
              .findFirst()
              .orElseThrow();
      assertThat(SupervisorDirectory.of(node).supervisors())
          .filteredOn(entry -> entry.name().equals("search-pool"))
          .singleElement()
          .satisfies(entry -> assertThat(entry.parent()).isEqualTo(app.pid()));
      pool.close();
      SupervisorRef.of(app.pid()).stop();
    }
  }
}

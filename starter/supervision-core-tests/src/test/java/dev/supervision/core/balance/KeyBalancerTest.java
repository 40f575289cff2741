package dev.supervision.core.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.test.Exits;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class KeyBalancerTest extends LoadBalancerContract {
  private static final String KEY = "search";
  private Registry<String, @Nullable Object> registry;
  private DynamicSupervisorRef workers;

  @BeforeEach
  void createRegistry() {
    registry = Registry.duplicate(node, "groups");
    workers =
        DynamicSupervisor.start(
            node,
            DynamicSupervisorSpec.of("workers")
                .withIntensity(1_000, java.time.Duration.ofSeconds(1)));
  }

  private Pid startWorker() {
    return workers.startChild(
        ChildSpec.server("worker", () -> new Worker(self -> registry.register(KEY, null))));
  }

  @Override
  LoadBalancer<Worker.Message> create(int count, BalanceStrategy strategy) {
    LoadBalancer<Worker.Message> balancer = track(LoadBalancers.overKey(registry, KEY, strategy));
    for (int i = 0; i < count; i++) {
      startWorker();
    }
    return balancer;
  }

  @Override
  LoadBalancer<Worker.Message> createEmpty(BalanceStrategy strategy) {
    return track(LoadBalancers.overKey(registry, KEY, strategy));
  }

  @Override
  void addWorkers(LoadBalancer<Worker.Message> balancer) {
    startWorker();
  }

  @Test
  void isNamedAfterTheRegistryAndKey() {
    assertThat(createEmpty(BalanceStrategy.ROUND_ROBIN).name()).isEqualTo("groups/search");
  }

  @Test
  void badArguments_areRefused() {
    assertThatThrownBy(
            () -> LoadBalancers.overKey(registry, nullKey(), BalanceStrategy.ROUND_ROBIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key must not be null or empty");
    assertThatThrownBy(() -> LoadBalancers.overKey(registry, "", BalanceStrategy.ROUND_ROBIN))
        .isInstanceOf(IllegalArgumentException.class);
    Registry<String, Object> unique = Registry.unique(node, "names");
    assertThatThrownBy(() -> LoadBalancers.overKey(unique, "k", BalanceStrategy.ROUND_ROBIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DUPLICATE");
  }

  @Test
  void membershipFollowsRegistrationsAndUnregistrationsLive() {
    LoadBalancer<Worker.Message> balancer = create(1, BalanceStrategy.ROUND_ROBIN);
    Pid first = balancer.select();
    CountDownLatch registered = new CountDownLatch(1);
    CountDownLatch leave = new CountDownLatch(1);
    CountDownLatch left = new CountDownLatch(1);
    Pid second =
        node.spawn(
            self -> {
              registry.register(KEY, "second");
              registered.countDown();
              leave.await();
              registry.unregister(KEY);
              left.countDown();
              self.receive();
            });
    awaitLatch(registered);
    assertThat(up(balancer)).containsExactlyInAnyOrder(first, second);
    Map<Pid, Integer> counts = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      counts.merge(balancer.select(), 1, Integer::sum);
    }
    assertThat(counts).containsEntry(first, 5).containsEntry(second, 5);
    leave.countDown();
    awaitLatch(left);
    for (int i = 0; i < 10; i++) {
      assertThat(balancer.select()).isSameAs(first);
    }
    assertThat(second.isAlive()).isTrue();
  }

  @Test
  void aProcessRegisteredSeveralTimesUnderTheKey_countsOnce() {
    LoadBalancer<Worker.Message> balancer = create(1, BalanceStrategy.ROUND_ROBIN);
    CountDownLatch registered = new CountDownLatch(1);
    Pid twice =
        node.spawn(
            self -> {
              registry.register(KEY, 1);
              registry.register(KEY, 2);
              registered.countDown();
              self.receive();
            });
    awaitLatch(registered);
    assertThat(registry.count(KEY)).isEqualTo(3);
    assertThat(up(balancer)).hasSize(2).contains(twice);
    Map<Pid, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      counts.merge(balancer.select(), 1, Integer::sum);
    }
    assertThat(counts.values()).containsOnly(50);
  }

  @Test
  void closingStopsFollowingTheKey() {
    LoadBalancer<Worker.Message> balancer = create(1, BalanceStrategy.ROUND_ROBIN);
    balancer.close();
    startWorker();
    assertThatThrownBy(balancer::select).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void membersAlwaysMatchTheLiveProcessesUnderTheKey_overRandomChanges() {
    LoadBalancer<Worker.Message> balancer = create(0, BalanceStrategy.ROUND_ROBIN);
    java.util.Random random = new java.util.Random(42);
    java.util.List<Pid> started = new java.util.ArrayList<>();
    for (int step = 0; step < 200; step++) {
      int op = random.nextInt(4);
      if (op == 0 || started.isEmpty()) {
        started.add(startWorker());
      } else if (op == 1) {
        // A crash: the supervisor restarts the worker, which registers again under a new pid.
        Pid victim = started.remove(random.nextInt(started.size()));
        if (victim.isAlive()) {
          Worker.ref(victim).cast(Worker.Crash.INSTANCE);
          Exits.awaitExit(victim, WAIT);
        }
      } else if (op == 2) {
        Pid victim = started.remove(random.nextInt(started.size()));
        workers.terminateChild(victim);
      } else {
        for (int i = 0; i < 10; i++) {
          assertThat(registry.lookup(KEY))
              .extracting(Registry.Entry::pid)
              .contains(balancer.select());
        }
      }
      // A restart registers asynchronously, hence eventually; without restarts it holds at once.
      await()
          .pollDelay(java.time.Duration.ZERO)
          .pollInterval(java.time.Duration.ofMillis(2))
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                java.util.Set<Pid> expected = new java.util.HashSet<>();
                registry.lookup(KEY).forEach(e -> expected.add(e.pid()));
                assertThat(up(balancer)).containsExactlyInAnyOrderElementsOf(expected);
              });
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @SuppressWarnings("NullAway")
  private static String nullKey() {
    return null;
  }
}

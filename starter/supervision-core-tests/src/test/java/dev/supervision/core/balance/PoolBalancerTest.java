package dev.supervision.core.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Pid;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.test.Exits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class PoolBalancerTest extends LoadBalancerContract {

  @Override
  LoadBalancer<Worker.Message> create(int workers, BalanceStrategy strategy) {
    return track(LoadBalancers.pool(node, "pool", workers, Worker::new, strategy));
  }

  @Override
  LoadBalancer<Worker.Message> createEmpty(BalanceStrategy strategy) {
    return track(
        LoadBalancers.supervisedPool(PoolSpec.of("pool", 2, Worker::new).withStrategy(strategy)));
  }

  @Override
  void addWorkers(LoadBalancer<Worker.Message> balancer) {
    if (!(balancer instanceof WorkerPool<Worker.Message> pool)) {
      throw new AssertionError("not a pool: " + balancer);
    }
    Supervisor.start(
        node, SupervisorSpec.of("app", Strategy.ONE_FOR_ONE).withChildren(pool.childSpec()));
  }

  @Test
  void startsSizeWorkersUnderItsOwnOneForOneSupervisor() {
    WorkerPool<Worker.Message> pool =
        track(LoadBalancers.pool(node, "pricing", 3, Worker::new, BalanceStrategy.ROUND_ROBIN));
    SupervisorRef supervisor = SupervisorRef.of(pool.supervisor().orElseThrow());
    assertThat(supervisor.inspect(WAIT).name()).isEqualTo("pricing-pool");
    assertThat(supervisor.inspect(WAIT).strategy()).isEqualTo(Strategy.ONE_FOR_ONE);
    List<ChildInfo> children = supervisor.whichChildren();
    assertThat(children)
        .extracting(ChildInfo::id)
        .containsExactly("pricing-0", "pricing-1", "pricing-2");
    assertThat(pool.workers())
        .extracting(WorkerInfo::index, WorkerInfo::id, WorkerInfo::pid, WorkerInfo::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                0, "pricing-0", children.get(0).pid(), WorkerState.UP),
            org.assertj.core.groups.Tuple.tuple(
                1, "pricing-1", children.get(1).pid(), WorkerState.UP),
            org.assertj.core.groups.Tuple.tuple(
                2, "pricing-2", children.get(2).pid(), WorkerState.UP));
    assertThat(pool.name()).isEqualTo("pricing");
    assertThat(pool.spec().size()).isEqualTo(3);
    assertThatThrownBy(pool::childSpec).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void aPoolSizeBelowOne_isRefusedNamingTheValue(int size) {
    assertThatThrownBy(
            () -> LoadBalancers.pool(node, "p", size, Worker::new, BalanceStrategy.ROUND_ROBIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pool 'p': size must be > 0 but was " + size);
    assertThat(node.processCount()).isZero();
  }

  @Test
  void aWorkerIsRestartingUntilItsReplacementHasStarted_andSelectWithATimeoutWaitsForIt() {
    AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
    WorkerPool<Worker.Message> pool =
        track(
            LoadBalancers.pool(
                node,
                "slow",
                1,
                () -> new Worker(self -> gate.get().await()),
                BalanceStrategy.ROUND_ROBIN));
    Pid first = pool.select();
    CountDownLatch replacementMayStart = new CountDownLatch(1);
    gate.set(replacementMayStart);
    Worker.ref(first).cast(Worker.Crash.INSTANCE);
    Exits.awaitExit(first, WAIT);
    assertThat(pool.workers())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.state()).isEqualTo(WorkerState.RESTARTING);
              assertThat(w.pid()).isNull();
            });
    assertThatThrownBy(pool::select).isInstanceOf(NoWorkerAvailableException.class);
    CompletableFuture<Pid> waiting = new CompletableFuture<>();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    waiting.complete(pool.select(WAIT));
                  } catch (Throwable e) {
                    waiting.completeExceptionally(e);
                  }
                });
    await().atMost(WAIT).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
    replacementMayStart.countDown();
    Pid replacement = Worker.await(waiting);
    assertThat(replacement).isNotSameAs(first);
    assertThat(replacement.isAlive()).isTrue();
    assertThat(pool.workers())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.state()).isEqualTo(WorkerState.UP);
              assertThat(w.pid()).isSameAs(replacement);
              assertThat(w.dispatches()).isEqualTo(2);
            });
  }

  @Test
  void aWorkerTerminatedByItsSupervisorIsDownUntilItIsRestarted() {
    WorkerPool<Worker.Message> pool =
        track(LoadBalancers.pool(node, "stopped", 2, Worker::new, BalanceStrategy.ROUND_ROBIN));
    SupervisorRef supervisor = SupervisorRef.of(pool.supervisor().orElseThrow());

    supervisor.terminateChild("stopped-0");

    assertThat(pool.workers())
        .extracting(WorkerInfo::id, WorkerInfo::state)
        .containsExactly(tuple("stopped-0", WorkerState.DOWN), tuple("stopped-1", WorkerState.UP));

    Pid restarted = supervisor.restartChild("stopped-0");

    assertThat(pool.workers().getFirst().state()).isEqualTo(WorkerState.UP);
    assertThat(pool.workers().getFirst().pid()).isSameAs(restarted);
  }

  @Test
  void closeStopsTheSupervisorAndItsWorkers() {
    WorkerPool<Worker.Message> pool =
        LoadBalancers.pool(node, "closing", 2, Worker::new, BalanceStrategy.ROUND_ROBIN);
    Pid supervisor = pool.supervisor().orElseThrow();
    List<Pid> workers = up(pool);
    pool.close();
    assertThat(supervisor.isAlive()).isFalse();
    assertThat(workers).noneMatch(Pid::isAlive);
    assertThat(pool.workers()).extracting(WorkerInfo::state).containsOnly(WorkerState.DOWN);
    assertThat(pool.supervisor()).isEmpty();
  }

  @Test
  void aSupervisorThatGivesUp_leavesEveryWorkerDown() {
    WorkerPool<Worker.Message> pool =
        track(
            LoadBalancers.pool(
                node,
                PoolSpec.of("fragile", 3, Worker::new).withIntensity(0, Duration.ofSeconds(5))));
    Pid supervisor = pool.supervisor().orElseThrow();
    Worker.ref(pool.select()).cast(Worker.Crash.INSTANCE);
    Exits.awaitExit(supervisor, WAIT);
    assertThat(pool.workers()).extracting(WorkerInfo::state).containsOnly(WorkerState.DOWN);
    assertThat(pool.workers()).extracting(WorkerInfo::pid).containsOnlyNulls();
    assertThatThrownBy(pool::select).isInstanceOf(NoWorkerAvailableException.class);
  }

  @Test
  void aPoolInATree_followsItsSupervisorAcrossRestarts() {
    WorkerPool<Worker.Message> pool =
        track(LoadBalancers.supervisedPool(PoolSpec.of("search", 2, Worker::new)));
    assertThat(pool.childSpec().id()).isEqualTo("search-pool");
    SupervisorRef app =
        Supervisor.start(
            node, SupervisorSpec.of("app", Strategy.ONE_FOR_ONE).withChildren(pool.childSpec()));
    Pid first = pool.supervisor().orElseThrow();
    assertThat(app.whichChildren()).singleElement().extracting(ChildInfo::pid).isSameAs(first);
    List<Pid> before = up(pool);
    assertThat(before).hasSize(2);
    node.kill(first);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(pool.supervisor()).isPresent().get().isNotSameAs(first);
              assertThat(up(pool)).hasSize(2).doesNotContainAnyElementsOf(before);
            });
    assertThat(before).noneMatch(Pid::isAlive);
    assertThat(up(pool)).contains(pool.select());
  }

  @Test
  void dispatchCountsAreKeptPerSlotAcrossRestarts() {
    WorkerPool<Worker.Message> pool =
        track(LoadBalancers.pool(node, "counted", 2, Worker::new, BalanceStrategy.ROUND_ROBIN));
    for (int i = 0; i < 10; i++) {
      pool.select();
    }
    crashAndAwaitReplacement(pool, 0);
    assertThat(pool.dispatchCounts()).containsEntry("counted-0", 5L).containsEntry("counted-1", 5L);
  }

  @Test
  void selectionsBeforeAndAfterAMembershipChangeAreAllCountedAndStillFair() {
    WorkerPool<Worker.Message> pool =
        track(LoadBalancers.pool(node, "recount", 3, Worker::new, BalanceStrategy.ROUND_ROBIN));
    for (int i = 0; i < 9; i++) {
      pool.select();
    }
    crashAndAwaitReplacement(pool, 1);

    List<Pid> chosen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      chosen.add(pool.select());
    }

    assertThat(chosen).containsExactlyInAnyOrderElementsOf(twice(up(pool)));
    assertThat(pool.dispatchCounts())
        .containsEntry("recount-0", 5L)
        .containsEntry("recount-1", 5L)
        .containsEntry("recount-2", 5L);
    assertThat(pool.dispatches()).isEqualTo(15);
    assertThat(pool.workers()).extracting(WorkerInfo::dispatches).containsOnly(5L);
  }

  private static List<Pid> twice(List<Pid> pids) {
    List<Pid> out = new ArrayList<>(pids);
    out.addAll(pids);
    return out;
  }

  /* Crashes worker `index` of `pool` and waits until its replacement is up with the others. */
  private static void crashAndAwaitReplacement(WorkerPool<Worker.Message> pool, int index) {
    Pid worker = Objects.requireNonNull(pool.workers().get(index).pid());
    Worker.ref(worker).cast(Worker.Crash.INSTANCE);
    Exits.awaitExit(worker, WAIT);
    int size = pool.workers().size();
    await().atMost(WAIT).until(() -> up(pool).size() == size);
  }
}

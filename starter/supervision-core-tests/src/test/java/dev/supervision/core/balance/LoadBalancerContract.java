package dev.supervision.core.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link LoadBalancer} must do, whatever its workers are. Subclasses provide the
 * workers: {@link Worker} servers, restarted by a supervisor when they crash.
 */
abstract class LoadBalancerContract {
  static final Duration WAIT = Duration.ofSeconds(10);

  Node node;
  final List<LoadBalancer<Worker.Message>> balancers = new ArrayList<>();

  @BeforeEach
  void createNode() {
    node = Node.create(getClass().getSimpleName());
  }

  @AfterEach
  void closeAll() {
    balancers.forEach(LoadBalancer::close);
    node.close();
  }

  /** A balancer over {@code workers} workers, all up when it returns. */
  abstract LoadBalancer<Worker.Message> create(int workers, BalanceStrategy strategy);

  /** A balancer with no worker yet. */
  abstract LoadBalancer<Worker.Message> createEmpty(BalanceStrategy strategy);

  /** Brings up at least one worker of a balancer made by {@link #createEmpty}. */
  abstract void addWorkers(LoadBalancer<Worker.Message> balancer);

  <B extends LoadBalancer<Worker.Message>> B track(B balancer) {
    balancers.add(balancer);
    return balancer;
  }

  static List<Pid> up(LoadBalancer<?> balancer) {
    List<Pid> pids = new ArrayList<>();
    for (WorkerInfo info : balancer.workers()) {
      if (info.state() == WorkerState.UP && info.pid() != null) {
        pids.add(info.pid());
      }
    }
    return pids;
  }

  @ParameterizedTest
  @EnumSource(BalanceStrategy.class)
  void select_returnsALiveWorkerOfTheBalancer(BalanceStrategy strategy) {
    LoadBalancer<Worker.Message> balancer = create(3, strategy);
    List<Pid> workers = up(balancer);
    assertThat(workers).hasSize(3).allMatch(Pid::isAlive);
    assertThat(balancer.strategy()).isEqualTo(strategy);
    for (int i = 0; i < 300; i++) {
      Pid selected = balancer.select();
      assertThat(workers).contains(selected);
      assertThat(selected.isAlive()).isTrue();
    }
  }

  @Test
  void roundRobin_isExactlyFair_withOneThread() {
    LoadBalancer<Worker.Message> balancer = create(4, BalanceStrategy.ROUND_ROBIN);
    balancer.select(); // any starting point
    int k = 1_000;
    Map<Pid, Integer> counts = new HashMap<>();
    for (int i = 0; i < k * 4; i++) {
      counts.merge(balancer.select(), 1, Integer::sum);
    }
    assertThat(counts).hasSize(4).allSatisfy((pid, count) -> assertThat(count).isEqualTo(k));
  }

  @Test
  void roundRobin_isExactlyFair_withTwoThreadsSelectingAtOnce() throws Exception {
    LoadBalancer<Worker.Message> balancer = create(4, BalanceStrategy.ROUND_ROBIN);
    int k = 20_000;
    int perThread = k * 4 / 2;
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Map<Pid, Integer>>> results = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      CompletableFuture<Map<Pid, Integer>> result = new CompletableFuture<>();
      results.add(result);
      Thread.ofPlatform()
          .start(
              () -> {
                Map<Pid, Integer> counts = new HashMap<>();
                try {
                  go.await();
                  for (int i = 0; i < perThread; i++) {
                    counts.merge(balancer.select(), 1, Integer::sum);
                  }
                  result.complete(counts);
                } catch (Throwable e) {
                  result.completeExceptionally(e);
                }
              });
    }
    go.countDown();
    Map<Pid, Integer> total = new HashMap<>();
    for (CompletableFuture<Map<Pid, Integer>> result : results) {
      Worker.await(result).forEach((pid, n) -> total.merge(pid, n, Integer::sum));
    }
    assertThat(total).hasSize(4).allSatisfy((pid, count) -> assertThat(count).isEqualTo(k));
  }

  @ParameterizedTest
  @EnumSource(BalanceStrategy.class)
  void callsAndCastsGoThroughSelectedWorkers(BalanceStrategy strategy) {
    LoadBalancer<Worker.Message> balancer = create(3, strategy);
    List<Pid> workers = up(balancer);
    Pid answered = balancer.call(Worker.WhoAmI::new);
    assertThat(workers).contains(answered);
    String echoed =
        balancer.call(replyTo -> new Worker.Echo("echo", replyTo), Duration.ofSeconds(5));
    assertThat(echoed).isEqualTo("echo");
    Queue<Worker.Received> sink = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 30; i++) {
      balancer.cast(new Worker.Note(i, sink));
    }
    await().atMost(WAIT).until(() -> sink.size() == 30);
    assertThat(sink).extracting(Worker.Received::worker).allMatch(workers::contains);
    if (strategy == BalanceStrategy.ROUND_ROBIN) {
      Map<Pid, Integer> perWorker = new HashMap<>();
      sink.forEach(r -> perWorker.merge(r.worker(), 1, Integer::sum));
      assertThat(perWorker).hasSize(3).allSatisfy((pid, n) -> assertThat(n).isEqualTo(10));
    }
  }

  @ParameterizedTest
  @EnumSource(BalanceStrategy.class)
  void dispatchCounts_countEverySelection(BalanceStrategy strategy) {
    LoadBalancer<Worker.Message> balancer = create(3, strategy);
    long before = balancer.dispatches();
    for (int i = 0; i < 90; i++) {
      balancer.select();
    }
    assertThat(balancer.dispatches() - before).isEqualTo(90);
    assertThat(balancer.dispatchCounts().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(balancer.dispatches());
    assertThat(balancer.workers().stream().mapToLong(WorkerInfo::dispatches).sum())
        .isEqualTo(balancer.dispatches());
    assertThat(balancer.dispatchCounts().keySet())
        .containsExactlyElementsOf(balancer.workers().stream().map(WorkerInfo::id).toList());
    if (strategy == BalanceStrategy.ROUND_ROBIN && before == 0) {
      assertThat(balancer.dispatchCounts().values()).containsOnly(30L);
    }
  }

  @ParameterizedTest
  @EnumSource(BalanceStrategy.class)
  void aCrashedWorkerIsNeverSelectedOnceItsExitIsObserved_andItsReplacementJoins(
      BalanceStrategy strategy) throws Exception {
    LoadBalancer<Worker.Message> balancer = create(3, strategy);
    Set<Pid> initial = new HashSet<>(up(balancer));
    Pid victim = up(balancer).get(0);
    AtomicReference<Set<Pid>> observedDead = new AtomicReference<>(Set.of());
    Set<Pid> selected = ConcurrentHashMap.newKeySet();
    List<Pid> violations = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong selections = new AtomicLong();
    List<CompletableFuture<Void>> selectors = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      selectors.add(done);
      Thread.ofPlatform()
          .start(
              () -> {
                try {
                  while (!stop.get()) {
                    Set<Pid> deadBefore = observedDead.get();
                    Pid pid = balancer.select(WAIT);
                    if (deadBefore.contains(pid)) {
                      violations.add(pid);
                    }
                    selected.add(pid);
                    selections.incrementAndGet();
                  }
                  done.complete(null);
                } catch (Throwable e) {
                  done.completeExceptionally(e);
                }
              });
    }
    await().atMost(WAIT).until(() -> selections.get() > 1_000);
    // Registered after the balancer's own exit callback, so it runs after it.
    node.monitor(victim, (pid, reason) -> observedDead.set(Set.of(pid)));
    Worker.ref(victim).cast(Worker.Crash.INSTANCE);
    await().atMost(WAIT).until(() -> observedDead.get().contains(victim));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(up(balancer)).hasSize(3).doesNotContain(victim).allMatch(Pid::isAlive));
    Pid replacement =
        up(balancer).stream().filter(p -> !initial.contains(p)).findFirst().orElseThrow();
    await().atMost(WAIT).until(() -> selected.contains(replacement));
    long after = selections.get();
    await().atMost(WAIT).until(() -> selections.get() > after + 1_000);
    stop.set(true);
    for (CompletableFuture<Void> selector : selectors) {
      Worker.await(selector);
    }
    assertThat(violations).isEmpty();
    assertThat(victim.isAlive()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(BalanceStrategy.class)
  void withNoWorkerUp_selectFailsAtOnce_andSelectWithATimeoutWaitsForOne(BalanceStrategy strategy) {
    LoadBalancer<Worker.Message> balancer = createEmpty(strategy);
    assertThatThrownBy(balancer::select)
        .isInstanceOfSatisfying(
            NoWorkerAvailableException.class,
            e -> {
              assertThat(e.balancer()).isEqualTo(balancer.name());
              assertThat(e.waited()).isZero();
            });
    assertThatThrownBy(() -> balancer.cast(Worker.Noise.INSTANCE))
        .isInstanceOf(NoWorkerAvailableException.class);
    CompletableFuture<Pid> waiting = new CompletableFuture<>();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    waiting.complete(balancer.select(WAIT));
                  } catch (Throwable e) {
                    waiting.completeExceptionally(e);
                  }
                });
    await().atMost(WAIT).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
    assertThat(waiting).isNotDone();
    addWorkers(balancer);
    Pid selected = Worker.await(waiting);
    assertThat(up(balancer)).contains(selected);
  }

  @Test
  void selectWithATimeout_givesUpWithTheTimeout() {
    LoadBalancer<Worker.Message> balancer = createEmpty(BalanceStrategy.ROUND_ROBIN);
    Duration timeout = Duration.ofMillis(50);
    assertThatThrownBy(() -> balancer.select(timeout))
        .isInstanceOfSatisfying(
            NoWorkerAvailableException.class, e -> assertThat(e.waited()).isEqualTo(timeout));
    assertThatThrownBy(() -> balancer.select(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void leastLoaded_prefersAnIdleWorkerOverAFloodedOne() {
    LoadBalancer<Worker.Message> balancer = create(2, BalanceStrategy.LEAST_LOADED);
    List<Pid> workers = up(balancer);
    Pid flooded = workers.get(0);
    Pid idle = workers.get(1);
    CountDownLatch release = new CountDownLatch(1);
    Worker.ref(flooded).cast(new Worker.Block(release));
    for (int i = 0; i < 100; i++) {
      Worker.ref(flooded).cast(Worker.Noise.INSTANCE);
    }
    await().atMost(WAIT).until(() -> flooded.mailboxDepth() >= 100);
    for (int i = 0; i < 200; i++) {
      assertThat(balancer.select()).isSameAs(idle);
    }
    release.countDown();
  }

  @ParameterizedTest
  @EnumSource(BalanceStrategy.class)
  void aClosedBalancer_refusesToSelect(BalanceStrategy strategy) {
    LoadBalancer<Worker.Message> balancer = create(2, strategy);
    balancer.close();
    balancer.close();
    assertThatThrownBy(balancer::select)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> balancer.select(WAIT)).isInstanceOf(IllegalStateException.class);
  }
}

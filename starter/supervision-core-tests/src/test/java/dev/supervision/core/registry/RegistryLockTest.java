package dev.supervision.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Registry#lock}: Elixir's {@code Registry.lock/3}. The tests that mirror {@code
 * registry_test.exs}'s {@code Registry.LockTest} run, as there, on unique and duplicate registries
 * with 1 and 8 partitions.
 */
final class RegistryLockTest {
  private Node node;

  /** The message a holder waits for before its function returns (Elixir's {@code :unlock}). */
  enum Unlock {
    INSTANCE
  }

  @BeforeEach
  void createNode() {
    node = Node.create("registry-lock-test");
  }

  @AfterEach
  void closeNode() {
    node.close();
  }

  static Stream<RegistrySpec> specs() {
    return Stream.of(
        RegistrySpec.unique("unique-1").withPartitions(1),
        RegistrySpec.unique("unique-8").withPartitions(8),
        RegistrySpec.duplicate("duplicate-1").withPartitions(1),
        RegistrySpec.duplicate("duplicate-8").withPartitions(8));
  }

  /**
   * A process that calls {@code lock(key, function)}; the function notes that it runs, then, if
   * asked to, waits for {@link Unlock}, and returns {@code "done"} or throws {@code raise}.
   */
  static final class Locker {
    final Client client;
    final CountDownLatch locked = new CountDownLatch(1);
    final AtomicReference<@Nullable Thread> thread = new AtomicReference<>();
    final CompletableFuture<String> result;

    Locker(
        Node node,
        Registry<?, ?> registry,
        Object key,
        boolean waitForUnlock,
        @Nullable RuntimeException raise) {
      client = Client.spawn(node);
      result =
          client.start(
              self -> {
                thread.set(Thread.currentThread());
                return registry.lock(
                    key,
                    () -> {
                      locked.countDown();
                      if (waitForUnlock) {
                        while (!(self.receive() instanceof Unlock)) {
                          // only Unlock ends the wait
                        }
                      }
                      if (raise != null) {
                        throw raise;
                      }
                      return "done";
                    });
              });
    }

    static Locker holding(Node node, Registry<?, ?> registry, Object key) {
      Locker locker = new Locker(node, registry, key, true, null);
      locker.awaitLocked();
      return locker;
    }

    static Locker waiting(Node node, Registry<?, ?> registry, Object key) {
      Locker locker = new Locker(node, registry, key, false, null);
      locker.awaitWaiting();
      return locker;
    }

    boolean isLocked() {
      return locked.getCount() == 0;
    }

    void awaitLocked() {
      await().atMost(Client.TIMEOUT).until(this::isLocked);
    }

    /** Returns once the locker is parked in {@code lock}, waiting its turn. */
    void awaitWaiting() {
      await()
          .atMost(Client.TIMEOUT)
          .until(
              () -> {
                Thread t = thread.get();
                return t != null && t.getState() == Thread.State.WAITING;
              });
    }

    void unlock() {
      client.pid().send(Unlock.INSTANCE);
    }

    String returned() {
      return Client.await(result);
    }
  }

  /** A plain thread (not a process) that calls lock and records {@code id} once it holds it. */
  private static Thread waitingThread(
      Registry<?, ?> registry, Object key, int id, List<Integer> order) {
    Thread thread =
        Thread.ofVirtual()
            .start(
                () ->
                    registry.lock(
                        key,
                        () -> {
                          order.add(id);
                          return null;
                        }));
    await().atMost(Client.TIMEOUT).until(() -> thread.getState() == Thread.State.WAITING);
    return thread;
  }

  @Nested
  final class AsInElixir {

    // mirrors registry_test.exs Registry.LockTest "does not lock when using different keys"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistryLockTest#specs")
    void differentKeysDoNotWaitForEachOther(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = Registry.create(node, spec);
      Locker task1 = Locker.holding(node, registry, 1);
      Locker task2 = Locker.holding(node, registry, 2);

      task1.unlock();
      task2.unlock();
      assertThat(task1.returned()).isEqualTo("done");
      assertThat(task2.returned()).isEqualTo("done");
      assertThat(registry.lock(1, () -> "done")).isEqualTo("done");
      assertThat(registry.lock(2, () -> "done")).isEqualTo("done");
    }

    // mirrors registry_test.exs Registry.LockTest "locks when using the same key"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistryLockTest#specs")
    void theSameKeyRunsOneCallerAtATime(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = Registry.create(node, spec);
      Locker task1 = Locker.holding(node, registry, "ok");
      Locker task2 = Locker.waiting(node, registry, "ok");

      assertThat(task2.isLocked()).as("task2 runs while task1 holds the lock").isFalse();

      task1.unlock();
      assertThat(task1.returned()).isEqualTo("done");
      task2.awaitLocked();
      assertThat(task2.returned()).isEqualTo("done");
      assertThat(registry.lock("ok", () -> "done")).isEqualTo("done");
    }

    // mirrors registry_test.exs Registry.LockTest "locks when the one holding the lock raises"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistryLockTest#specs")
    void anExceptionInTheFunctionReleasesTheLockAndReachesItsCaller(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = Registry.create(node, spec);
      IllegalStateException oops = new IllegalStateException("oops");
      Locker task1 = new Locker(node, registry, "ok", true, oops);
      task1.awaitLocked();
      Locker task2 = Locker.waiting(node, registry, "ok");

      task1.unlock();
      assertThatThrownBy(task1::returned).isSameAs(oops);
      assertThat(task2.returned()).isEqualTo("done");
      assertThat(registry.lock("ok", () -> "done")).isEqualTo("done");
    }

    // mirrors registry_test.exs Registry.LockTest "locks when the one holding the lock terminates"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistryLockTest#specs")
    void aHolderThatIsKilled_releasesTheLock(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = Registry.create(node, spec);
      Locker task1 = Locker.holding(node, registry, "ok");
      Locker task2 = Locker.waiting(node, registry, "ok");

      assertThat(task1.client.kill()).isEqualTo(ExitReason.killed());

      assertThat(task2.returned()).isEqualTo("done");
      assertThat(registry.lock("ok", () -> "done")).isEqualTo("done");
    }

    // mirrors registry_test.exs Registry.LockTest "locks when the one waiting for the lock
    // terminates"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistryLockTest#specs")
    void aWaiterThatIsKilled_isSkipped(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = Registry.create(node, spec);
      Locker task1 = Locker.holding(node, registry, "ok");
      Locker task2 = Locker.waiting(node, registry, "ok");

      task2.client.kill();

      task1.unlock();
      assertThat(task1.returned()).isEqualTo("done");
      assertThat(registry.lock("ok", () -> "done")).isEqualTo("done");
      assertThat(task2.isLocked()).as("the killed waiter's function ran").isFalse();
      assertThat(task2.result).isNotDone();
    }
  }

  @Nested
  final class Order {

    @Test
    void waitersGetTheLockInTheOrderTheyArrived() throws InterruptedException {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      Locker holder = Locker.holding(node, registry, "key");
      List<Integer> order = new CopyOnWriteArrayList<>();
      List<Thread> waiters = new ArrayList<>();
      for (int id = 1; id <= 5; id++) {
        waiters.add(waitingThread(registry, "key", id, order));
      }

      holder.unlock();
      for (Thread waiter : waiters) {
        waiter.join(Client.TIMEOUT);
      }

      assertThat(order).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aWaiterThatIsKilled_losesItsPlace_andTheNextInLineGetsTheLock() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      Locker holder = Locker.holding(node, registry, "key");
      Locker killed = Locker.waiting(node, registry, "key");
      Locker next = Locker.waiting(node, registry, "key");

      killed.client.kill();
      holder.unlock();

      assertThat(next.returned()).isEqualTo("done");
      assertThat(killed.isLocked()).isFalse();
    }

    @Test
    void callersOfOneKey_neverRunTogether() throws InterruptedException {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger mostInside = new AtomicInteger();
      int[] counter = {0};
      Supplier<@Nullable Void> increment =
          () -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            counter[0]++;
            inside.decrementAndGet();
            return null;
          };
      List<CompletableFuture<?>> processes = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        processes.add(
            Client.spawn(node)
                .start(
                    self -> {
                      for (int n = 0; n < 500; n++) {
                        registry.lock("counter", increment);
                      }
                      return null;
                    }));
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int n = 0; n < 500; n++) {
                        registry.lock("counter", increment);
                      }
                    }));
      }

      processes.forEach(Client::await);
      for (Thread thread : threads) {
        thread.join(Client.TIMEOUT);
      }

      assertThat(mostInside.get()).isEqualTo(1);
      assertThat(registry.lock("counter", () -> counter[0])).isEqualTo(8 * 500);
    }
  }

  @Nested
  final class Results {

    @Test
    void returnsWhatTheFunctionReturns_includingNull() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      assertThat(registry.lock("hello", () -> 42)).isEqualTo(42);
      assertThat(registry.<@Nullable Object>lock("hello", () -> null)).isNull();
    }

    @Test
    void runsTheFunctionOnTheCallingThread() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      Client client = Client.spawn(node);
      Pid self = client.run(p -> registry.lock("world", () -> p.self()));
      assertThat(self).isEqualTo(client.pid());
      assertThat(registry.lock("world", Thread::currentThread)).isSameAs(Thread.currentThread());
    }

    @Test
    void anExceptionFromAPlainThreadsFunction_propagatesAndReleasesTheLock() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      IllegalArgumentException boom = new IllegalArgumentException("boom");

      assertThatThrownBy(
              () ->
                  registry.lock(
                      "key",
                      () -> {
                        throw boom;
                      }))
          .isSameAs(boom);
      assertThat(registry.lock("key", () -> "free")).isEqualTo("free");
    }

    @Test
    void lockKeysAreNotRegistryKeys() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      Client client = Client.spawn(node);

      client.exec(
          self ->
              registry.lock(
                  "hello",
                  () -> {
                    assertThat(registry.lookup("hello")).isEmpty();
                    registry.register("hello", "value");
                    return null;
                  }));

      assertThat(registry.lookup("hello"))
          .containsExactly(new Registry.Entry<>(client.pid(), "value"));
      assertThat(registry.count()).isEqualTo(1);
    }
  }

  @Nested
  final class Failures {

    @Test
    void lockingAKeyAgainFromInsideItsFunction_isRefused_andTheOuterLockStillWorks() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");

      String outer =
          registry.lock(
              "key",
              () -> {
                assertThatThrownBy(() -> registry.lock("key", () -> "inner"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("registry 'locks'")
                    .hasMessageContaining("not reentrant");
                return registry.lock("other key", () -> "outer");
              });

      assertThat(outer).isEqualTo("outer");
      assertThat(registry.lock("key", () -> "again")).isEqualTo("again");
    }

    @Test
    @SuppressWarnings({"NullAway", "DataFlowIssue"})
    void aNullKeyOrFunction_isRefused() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      Object nullKey = null;
      Supplier<Object> nullFunction = null;

      assertThatThrownBy(() -> registry.lock(nullKey, () -> "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("registry 'locks': lock key must not be null");
      assertThatThrownBy(() -> registry.lock("key", nullFunction))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("function");
    }

    @Test
    void aHolderKilledWhileItsFunctionIgnoresInterrupts_stillReleasesTheLock() throws Exception {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      CountDownLatch finish = new CountDownLatch(1);
      CountDownLatch locked = new CountDownLatch(1);
      AtomicReference<@Nullable Thread> holderThread = new AtomicReference<>();
      Client holder = Client.spawn(node);
      CompletableFuture<String> late =
          holder.start(
              self ->
                  registry.lock(
                      "key",
                      () -> {
                        holderThread.set(Thread.currentThread());
                        locked.countDown();
                        awaitIgnoringInterrupts(finish);
                        return "late";
                      }));
      await().atMost(Client.TIMEOUT).until(() -> locked.getCount() == 0);
      Locker next = Locker.waiting(node, registry, "key");

      holder.kill();

      assertThat(next.returned()).as("the lock passed on").isEqualTo("done");
      Thread t = holderThread.get();
      assertThat(t).isNotNull();
      assertThat(t.isAlive()).as("the killed holder's code still runs").isTrue();
      finish.countDown();
      t.join(Client.TIMEOUT);
      assertThat(Client.await(late)).isEqualTo("late");
      assertThat(registry.lock("key", () -> "free")).isEqualTo("free");
    }

    @Test
    void closingTheRegistry_endsTheWaits_andRefusesNewLocks() throws Exception {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      Locker holder = Locker.holding(node, registry, "key");
      AtomicReference<@Nullable Throwable> waiterError = new AtomicReference<>();
      Thread waiter =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      registry.lock("key", () -> "never");
                    } catch (RuntimeException e) {
                      waiterError.set(e);
                    }
                  });
      await().atMost(Client.TIMEOUT).until(() -> waiter.getState() == Thread.State.WAITING);

      registry.close();

      waiter.join(Client.TIMEOUT);
      assertThat(waiterError.get())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("registry 'locks' is closed");
      assertThatThrownBy(() -> registry.lock("other", () -> "x"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("registry 'locks' is closed");
      holder.unlock();
      assertThat(holder.returned()).as("a holder keeps running").isEqualTo("done");
    }

    @Test
    void anInterruptDoesNotEndTheWait_andIsKept() throws Exception {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "locks");
      Locker holder = Locker.holding(node, registry, "key");
      AtomicBoolean released = new AtomicBoolean();
      AtomicReference<@Nullable Boolean> ranAfterRelease = new AtomicReference<>();
      AtomicReference<@Nullable Boolean> interruptedInside = new AtomicReference<>();
      Thread waiter =
          Thread.ofVirtual()
              .start(
                  () ->
                      registry.lock(
                          "key",
                          () -> {
                            ranAfterRelease.set(released.get());
                            interruptedInside.set(Thread.currentThread().isInterrupted());
                            return null;
                          }));
      await().atMost(Client.TIMEOUT).until(() -> waiter.getState() == Thread.State.WAITING);

      waiter.interrupt();
      released.set(true);
      holder.unlock();
      waiter.join(Client.TIMEOUT);

      assertThat(ranAfterRelease.get()).as("ran after the holder released").isTrue();
      assertThat(interruptedInside.get()).as("interrupt status kept").isTrue();
    }
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // ignored on purpose: the test needs code that does not stop when its process is killed
      }
    }
  }
}

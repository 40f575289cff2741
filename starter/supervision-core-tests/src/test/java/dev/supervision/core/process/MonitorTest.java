package dev.supervision.core.process;

import static dev.supervision.test.Exits.awaitExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class MonitorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Node node = Node.create("monitor-test");

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  /* Waits until pid has exited and its thread, hence its whole exit protocol, has finished. */
  private void awaitGone(Pid pid) {
    awaitExit(pid);
    await().atMost(TIMEOUT).until(() -> !((ProcessCell) pid).thread().isAlive());
  }

  /* A process that collects messages until "check", then completes `collected` with them. */
  private static ProcessBody collectUntilCheck(
      CompletableFuture<MonitorRef> monitored,
      Pid target,
      CompletableFuture<List<Object>> collected) {
    return self -> {
      monitored.complete(self.monitor(target));
      List<Object> messages = new ArrayList<>();
      Object message;
      while (!"check".equals(message = self.receive())) {
        messages.add(message);
      }
      collected.complete(messages);
    };
  }

  @Nested
  final class Monitor {

    @Test
    void deliversExactlyOneDownWithTheExitReason() {
      Exception boom = new IllegalStateException("boom");
      Pid target =
          node.spawn(
              self -> {
                self.receive();
                throw boom;
              });
      CompletableFuture<MonitorRef> monitored = new CompletableFuture<>();
      CompletableFuture<List<Object>> collected = new CompletableFuture<>();
      Pid watcher = node.spawn(collectUntilCheck(monitored, target, collected));
      MonitorRef ref = Futures.result(monitored);

      target.send("crash");
      awaitGone(target);
      watcher.send("check");

      assertThat(Futures.result(collected))
          .containsExactly(new Down(ref, target, ExitReason.crashed(boom)));
      assertThat(ref.target()).isEqualTo(target);
    }

    @Test
    void eachMonitorDeliversItsOwnDown() {
      Pid target = node.spawn(self -> self.receive());
      List<Object> downs =
          InProcess.run(
              node,
              self -> {
                MonitorRef first = self.monitor(target);
                MonitorRef second = self.monitor(target);
                target.send("stop");
                List<Object> received = new ArrayList<>();
                received.add(self.receive(TIMEOUT));
                received.add(self.receive(TIMEOUT));
                received.add(first != second);
                return received;
              });

      assertThat(downs).hasSize(3).last().isEqualTo(true);
      assertThat(downs.subList(0, 2))
          .allSatisfy(
              down ->
                  assertThat(down)
                      .isInstanceOfSatisfying(
                          Down.class, d -> assertThat(d.reason()).isEqualTo(ExitReason.normal())));
      assertThat(downs.subList(0, 2))
          .map(down -> down instanceof Down d ? d.ref() : down)
          .doesNotHaveDuplicates(); // MonitorRef is equal only to itself
    }

    @Test
    void monitoringAnExitedProcessDeliversNoProcAtOnce() {
      Pid dead = node.spawn(self -> {});
      awaitExit(dead);

      List<Object> received =
          InProcess.run(
              node,
              self -> {
                MonitorRef ref = self.monitor(dead);
                List<Object> messages = new ArrayList<>();
                messages.add(ref);
                messages.add(self.receive(Duration.ZERO));
                messages.add(String.valueOf(self.receive(Duration.ZERO)));
                return messages;
              });

      MonitorRef ref = (MonitorRef) received.get(0);
      assertThat(received).containsExactly(ref, new Down(ref, dead, ExitReason.noProc()), "null");
    }

    @Test
    void aMonitorDoesNotLinkTheTwoProcesses() {
      Exception boom = new IllegalStateException("boom");
      Pid target =
          node.spawn(
              self -> {
                self.receive();
                throw boom;
              });
      CompletableFuture<MonitorRef> monitored = new CompletableFuture<>();
      CompletableFuture<List<Object>> collected = new CompletableFuture<>();
      Pid watcher = node.spawn(collectUntilCheck(monitored, target, collected));
      Futures.result(monitored);

      target.send("crash");
      awaitGone(target);

      assertThat(watcher.isAlive()).isTrue();
      watcher.send("check");
      assertThat(Futures.result(collected)).hasSize(1);
    }
  }

  @Nested
  final class Demonitor {

    @Test
    void beforeTheExitMeansNoDownArrives() {
      Pid target = node.spawn(self -> self.receive());
      CompletableFuture<Void> demonitored = new CompletableFuture<>();
      CompletableFuture<Object> next = new CompletableFuture<>();
      Pid watcher =
          node.spawn(
              self -> {
                MonitorRef ref = self.monitor(target);
                self.demonitor(ref);
                self.demonitor(ref);
                demonitored.complete(null);
                next.complete(self.receive());
              });
      Futures.result(demonitored);

      target.send("stop");
      awaitGone(target);
      watcher.send("check");

      assertThat(Futures.result(next)).isEqualTo("check");
    }

    @Test
    void dropsADownThatHasAlreadyArrived() {
      Pid target = node.spawn(self -> self.receive());
      CompletableFuture<Void> monitoring = new CompletableFuture<>();
      CompletableFuture<Void> go = new CompletableFuture<>();
      CompletableFuture<List<Object>> afterDemonitor = new CompletableFuture<>();
      Pid watcher =
          node.spawn(
              self -> {
                MonitorRef ref = self.monitor(target);
                monitoring.complete(null);
                go.join();
                self.demonitor(ref);
                List<Object> rest = new ArrayList<>();
                self.drainMailbox(rest::add);
                afterDemonitor.complete(rest);
              });
      Futures.result(monitoring);

      target.send("stop");
      await().atMost(TIMEOUT).until(() -> watcher.mailboxDepth() == 1);
      watcher.send("after");
      go.complete(null);

      assertThat(Futures.result(afterDemonitor)).containsExactly("after");
    }

    @Test
    void racingWithTheExitStillMeansNoDownAfterItReturns() throws Exception {
      Pid target = node.spawn(self -> self.receive());
      CompletableFuture<Void> monitoring = new CompletableFuture<>();
      CompletableFuture<Void> demonitored = new CompletableFuture<>();
      CompletableFuture<Object> next = new CompletableFuture<>();
      Pid watcher =
          node.spawn(
              self -> {
                MonitorRef ref = self.monitor(target);
                monitoring.complete(null);
                self.receive(m -> "demonitor".equals(m), TIMEOUT);
                self.demonitor(ref);
                demonitored.complete(null);
                next.complete(self.receive());
              });
      Futures.result(monitoring);
      // Exit callbacks run before Down notices are sent: hold the exit between the two.
      CountDownLatch exiting = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      node.monitor(
          target,
          (pid, reason) -> {
            exiting.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      Thread killer = Thread.ofPlatform().start(() -> node.kill(target));
      assertThat(exiting.await(5, TimeUnit.SECONDS)).isTrue();

      watcher.send("demonitor");
      Futures.result(demonitored);
      release.countDown();
      killer.join();
      watcher.send("check");

      assertThat(Futures.result(next)).isEqualTo("check");
    }

    @Test
    void ofSomeoneElsesMonitorDoesNothing() {
      Pid target = node.spawn(self -> self.receive());
      CompletableFuture<MonitorRef> monitored = new CompletableFuture<>();
      CompletableFuture<List<Object>> collected = new CompletableFuture<>();
      Pid watcher = node.spawn(collectUntilCheck(monitored, target, collected));
      MonitorRef ref = Futures.result(monitored);

      InProcess.run(
          node,
          self -> {
            self.demonitor(ref);
            return ref;
          });
      target.send("stop");
      awaitGone(target);
      watcher.send("check");

      assertThat(Futures.result(collected))
          .containsExactly(new Down(ref, target, ExitReason.normal()));
    }
  }

  @Nested
  final class NodeMonitor {

    @Test
    void runsTheCallbackWithThePidAndTheExitReason() {
      Exception boom = new IllegalStateException("boom");
      Pid target =
          node.spawn(
              self -> {
                self.receive();
                throw boom;
              });
      CompletableFuture<Object[]> called = new CompletableFuture<>();
      node.monitor(target, (pid, reason) -> called.complete(new Object[] {pid, reason}));

      target.send("crash");

      assertThat(Futures.result(called)).containsExactly(target, ExitReason.crashed(boom));
    }

    @Test
    void runsTheCallbackBeforeLinkedProcessesAreSignalled() {
      CompletableFuture<Pid> child = new CompletableFuture<>();
      Pid parent =
          node.spawn(
              self -> {
                child.complete(self.spawnLink(other -> other.receive()));
                self.receive();
              });
      Pid linked = Futures.result(child);
      CompletableFuture<Boolean> parentAliveInCallback = new CompletableFuture<>();
      node.monitor(linked, (pid, reason) -> parentAliveInCallback.complete(parent.isAlive()));

      node.exit(linked, ExitReason.shutdown());

      assertThat(Futures.result(parentAliveInCallback)).isTrue();
      assertThat(awaitExit(parent)).isEqualTo(ExitReason.shutdown());
    }

    @Test
    void onAnExitedProcessRunsTheCallbackAtOnceOnTheCallingThread() {
      Pid dead = node.spawn(self -> {});
      awaitGone(dead); // its exit protocol has finished, not only its callbacks
      List<Object> calls = new ArrayList<>();

      node.monitor(dead, (pid, reason) -> calls.add(List.of(pid, reason, Thread.currentThread())));

      assertThat(calls).containsExactly(List.of(dead, ExitReason.normal(), Thread.currentThread()));
    }

    @Test
    void aCallbackAddedWhileTheProcessIsExitingRunsAfterThoseAddedBefore() throws Exception {
      Pid target = node.spawn(self -> self.receive());
      List<String> order = new CopyOnWriteArrayList<>();
      CountDownLatch firstRunning = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      node.monitor(
          target,
          (pid, reason) -> {
            firstRunning.countDown();
            try {
              release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            order.add("first"); // e.g. a registry freeing the process's names
          });
      target.send("stop");
      assertThat(firstRunning.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      node.monitor(target, (pid, reason) -> order.add("second"));

      assertThat(order).isEmpty();
      release.countDown();
      await().atMost(TIMEOUT).until(() -> order.size() == 2);
      assertThat(order).containsExactly("first", "second");
    }

    @Test
    void demonitorBeforeTheExitMeansTheCallbackNeverRuns() {
      Pid target = node.spawn(self -> self.receive());
      List<String> calls = new CopyOnWriteArrayList<>();
      MonitorRef ref = node.monitor(target, (pid, reason) -> calls.add("removed"));
      CompletableFuture<Void> later = new CompletableFuture<>();
      node.monitor(target, (pid, reason) -> later.complete(null));

      assertThat(node.demonitor(ref)).isTrue();
      assertThat(node.demonitor(ref)).isFalse();
      target.send("stop");

      Futures.result(later);
      assertThat(calls).isEmpty();
    }

    @Test
    void aFailingCallbackDoesNotStopTheOthersNorTheExitProtocol() {
      Pid target = node.spawn(self -> self.receive());
      node.monitor(
          target,
          (pid, reason) -> {
            throw new IllegalStateException("callback failed");
          });
      CompletableFuture<ExitReason> second = new CompletableFuture<>();
      node.monitor(target, (pid, reason) -> second.complete(reason));
      CompletableFuture<MonitorRef> monitored = new CompletableFuture<>();
      CompletableFuture<List<Object>> collected = new CompletableFuture<>();
      Pid watcher = node.spawn(collectUntilCheck(monitored, target, collected));
      MonitorRef ref = Futures.result(monitored);

      target.send("stop");

      assertThat(Futures.result(second)).isEqualTo(ExitReason.normal());
      awaitGone(target);
      watcher.send("check");
      assertThat(Futures.result(collected))
          .containsExactly(new Down(ref, target, ExitReason.normal()));
    }
  }
}

package dev.supervision.core.process;

import static dev.supervision.test.Exits.awaitExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class LinkTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Node node = Node.create("link-test");

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  /* A process that waits for "crash" (then throws boom), "return" (then returns) or anything. */
  private static ProcessBody waitForOrders(Exception boom) {
    return self -> {
      while (true) {
        Object order = self.receive();
        if ("crash".equals(order)) {
          throw boom;
        }
        if ("return".equals(order)) {
          return;
        }
      }
    };
  }

  @Nested
  final class Link {

    @Test
    void aLinkedProcessExitsWithTheSameReasonWhenTheChildCrashes() {
      Exception boom = new IllegalStateException("boom");
      CompletableFuture<Pid> child = new CompletableFuture<>();
      Pid parent =
          node.spawn(
              self -> {
                child.complete(self.spawnLink(waitForOrders(boom)));
                self.receive();
              });

      Futures.result(child).send("crash");

      assertThat(awaitExit(parent)).isEqualTo(ExitReason.crashed(boom));
      assertThat(awaitExit(Futures.result(child))).isEqualTo(ExitReason.crashed(boom));
    }

    @Test
    void aLinkedProcessExitsWithTheSameReasonWhenTheParentCrashes() {
      Exception boom = new IllegalStateException("boom");
      CompletableFuture<Pid> child = new CompletableFuture<>();
      Pid parent =
          node.spawn(
              self -> {
                child.complete(self.spawnLink(self2 -> self2.receive()));
                waitForOrders(boom).run(self);
              });
      Pid linked = Futures.result(child);

      parent.send("crash");

      assertThat(awaitExit(linked)).isEqualTo(ExitReason.crashed(boom));
      assertThat(awaitExit(parent)).isEqualTo(ExitReason.crashed(boom));
    }

    @Test
    void linkWorksBothWaysWhicheverSideMadeIt() {
      Pid other = node.spawn(waitForOrders(new IllegalStateException("unused")));
      CompletableFuture<Void> linked = new CompletableFuture<>();
      Pid linker =
          node.spawn(
              self -> {
                self.link(other);
                linked.complete(null);
                self.receive();
              });
      Futures.result(linked);

      assertThat(node.links(linker)).containsExactly(other);
      assertThat(node.links(other)).containsExactly(linker);

      node.exit(other, ExitReason.shutdown("bye"));

      assertThat(awaitExit(linker)).isEqualTo(ExitReason.shutdown("bye"));
      assertThat(other.exitReason()).contains(ExitReason.shutdown("bye"));
    }

    @Test
    void linkingTwiceIsOneLink() {
      Pid other = node.spawn(self -> self.receive());
      CompletableFuture<Void> linked = new CompletableFuture<>();
      node.spawn(
          self -> {
            self.link(other);
            self.link(other);
            self.link(self.self());
            linked.complete(null);
            self.receive();
          });
      Futures.result(linked);

      assertThat(node.links(other)).hasSize(1);
    }

    @Test
    void aNormalExitDoesNotKillALinkedProcess() {
      CompletableFuture<Down> childDown = new CompletableFuture<>();
      CompletableFuture<Void> release = new CompletableFuture<>();
      Pid parent =
          node.spawn(
              self -> {
                Pid child = self.spawnLink(waitForOrders(new IllegalStateException("unused")));
                MonitorRef ref = self.monitor(child);
                child.send("return");
                // The Down notice is sent after the exit signal to linked processes.
                Object down = self.receive(m -> m instanceof Down d && d.ref() == ref, TIMEOUT);
                childDown.complete(down instanceof Down d ? d : null);
                release.join();
              });

      Down down = Futures.result(childDown);

      assertThat(down.reason()).isEqualTo(ExitReason.normal());
      assertThat(parent.isAlive()).isTrue();
      assertThat(node.links(parent)).isEmpty();
      release.complete(null);
      assertThat(awaitExit(parent)).isEqualTo(ExitReason.normal());
    }

    @Test
    void unlinkStopsTheExitFromSpreading() {
      Exception boom = new IllegalStateException("boom");
      CompletableFuture<ExitReason> childExit = new CompletableFuture<>();
      Pid parent =
          node.spawn(
              self -> {
                Pid child = self.spawnLink(waitForOrders(boom));
                self.unlink(child);
                self.unlink(child);
                MonitorRef ref = self.monitor(child);
                child.send("crash");
                Object down = self.receive(m -> m instanceof Down d && d.ref() == ref, TIMEOUT);
                childExit.complete(down instanceof Down d ? d.reason() : ExitReason.noProc());
                self.receive();
              });

      assertThat(Futures.result(childExit)).isEqualTo(ExitReason.crashed(boom));
      assertThat(parent.isAlive()).isTrue();
    }

    @Test
    void linkingToAnExitedProcessEndsTheCallerWithNoProc() {
      Pid dead = node.spawn(self -> {});
      awaitExit(dead);
      CompletableFuture<String> after = new CompletableFuture<>();

      Pid linker =
          node.spawn(
              self -> {
                self.link(dead);
                self.receive(Duration.ofSeconds(5));
                after.complete("survived");
              });

      assertThat(awaitExit(linker)).isEqualTo(ExitReason.noProc());
      assertThat(after).isNotDone();
      assertThat(node.links(dead)).isEmpty();
    }

    @Test
    void linkingToAnExitedProcessWhileTrappingDeliversAnExitWithNoProc() {
      Pid dead = node.spawn(self -> {});
      awaitExit(dead);

      Object message =
          InProcess.run(
              node,
              self -> {
                self.trapExits(true);
                self.link(dead);
                return self.receive(TIMEOUT);
              });

      assertThat(message).isEqualTo(new Exit(dead, ExitReason.noProc()));
    }

    @Test
    void anExitSpreadsAlongAChainOfLinks() {
      Exception boom = new IllegalStateException("boom");
      CompletableFuture<Pid> last = new CompletableFuture<>();
      Pid first =
          node.spawn(
              self -> {
                self.spawnLink(
                    middle -> {
                      last.complete(middle.spawnLink(waitForOrders(boom)));
                      middle.receive();
                    });
                self.receive();
              });

      Futures.result(last).send("crash");

      assertThat(awaitExit(first)).isEqualTo(ExitReason.crashed(boom));
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
    }
  }

  @Nested
  final class TrapExits {

    @Test
    void aTrappingProcessReceivesAnExitMessageInsteadOfDying() {
      Exception boom = new IllegalStateException("boom");
      CompletableFuture<Pid> child = new CompletableFuture<>();
      CompletableFuture<Object> received = new CompletableFuture<>();
      Pid parent =
          node.spawn(
              self -> {
                self.trapExits(true);
                child.complete(self.spawnLink(waitForOrders(boom)));
                received.complete(self.receive());
                self.receive();
              });

      Futures.result(child).send("crash");

      assertThat(Futures.result(received))
          .isEqualTo(new Exit(Futures.result(child), ExitReason.crashed(boom)));
      assertThat(parent.isAlive()).isTrue();
      assertThat(node.links(parent)).isEmpty();
    }

    @Test
    void aTrappingProcessIsToldOfNormalExitsToo() {
      Object message =
          InProcess.run(
              node,
              self -> {
                self.trapExits(true);
                Pid child = self.spawnLink(other -> {});
                Object received = self.receive(TIMEOUT);
                if (received instanceof Exit exit && exit.from() == child) {
                  return exit.reason();
                }
                return received == null ? "nothing" : received;
              });

      assertThat(message).isEqualTo(ExitReason.normal());
    }

    @Test
    void anExitSignalFromOutsideAnyProcessHasNoSender() {
      CompletableFuture<Object> received = new CompletableFuture<>();
      CompletableFuture<Void> trapping = new CompletableFuture<>();
      Pid pid =
          node.spawn(
              self -> {
                self.trapExits(true);
                trapping.complete(null);
                received.complete(self.receive());
                self.receive();
              });
      Futures.result(trapping);

      node.exit(pid, ExitReason.shutdown());

      assertThat(Futures.result(received)).isEqualTo(new Exit(null, ExitReason.shutdown()));
      assertThat(pid.isAlive()).isTrue();
    }

    @Test
    void anExitSignalFromAProcessNamesIt() {
      CompletableFuture<Object> received = new CompletableFuture<>();
      CompletableFuture<Void> trapping = new CompletableFuture<>();
      Pid target =
          node.spawn(
              self -> {
                self.trapExits(true);
                trapping.complete(null);
                received.complete(self.receive());
              });
      Futures.result(trapping);

      Pid sender =
          InProcess.run(
              node,
              self -> {
                self.node().exit(target, ExitReason.crashed(new IllegalStateException("x")));
                return self.self();
              });

      assertThat(Futures.result(received))
          .isInstanceOfSatisfying(Exit.class, exit -> assertThat(exit.from()).isEqualTo(sender));
    }

    @Test
    void anExitSignalEndsANonTrappingProcessWithItsReason() {
      Pid pid = node.spawn(self -> self.receive());

      node.exit(pid, ExitReason.shutdown("stop"));

      assertThat(pid.isAlive()).isFalse();
      assertThat(awaitExit(pid)).isEqualTo(ExitReason.shutdown("stop"));
    }

    @Test
    void aNormalExitSignalIsIgnoredByANonTrappingProcess() {
      Pid pid =
          node.spawn(
              self -> {
                Object ping = self.receive();
                if (ping instanceof Pid replyTo) {
                  replyTo.send("pong");
                }
              });

      node.exit(pid, ExitReason.normal());

      assertThat(pid.isAlive()).isTrue();
      Object reply =
          InProcess.run(
              node,
              self -> {
                pid.send(self.self());
                return self.receive(TIMEOUT);
              });
      assertThat(reply).isEqualTo("pong");
    }

    @Test
    void aNormalExitSignalToItselfEndsAProcess() {
      CompletableFuture<Void> go = new CompletableFuture<>();
      Pid pid =
          node.spawn(
              self -> {
                go.join();
                self.node().exit(self.self(), ExitReason.normal());
                self.receive();
              });

      go.complete(null);

      assertThat(awaitExit(pid)).isEqualTo(ExitReason.normal());
    }
  }

  @Nested
  final class Kill {

    @Test
    void killCannotBeTrappedAndYieldsKilled() {
      CompletableFuture<Void> trapping = new CompletableFuture<>();
      Pid pid =
          node.spawn(
              self -> {
                self.trapExits(true);
                trapping.complete(null);
                while (true) {
                  self.receive();
                }
              });
      Futures.result(trapping);

      node.kill(pid);

      assertThat(pid.isAlive()).isFalse();
      assertThat(awaitExit(pid)).isEqualTo(ExitReason.killed());
      await().atMost(TIMEOUT).until(() -> !((ProcessCell) pid).thread().isAlive());
      assertThat(node.processCount()).isZero();
    }

    @Test
    void killEndsAProcessBlockedOutsideReceive() {
      CompletableFuture<Void> blocked = new CompletableFuture<>();
      Pid pid =
          node.spawn(
              self -> {
                blocked.complete(null);
                new CompletableFuture<Void>().get();
              });
      Futures.result(blocked);

      node.kill(pid);

      assertThat(awaitExit(pid)).isEqualTo(ExitReason.killed());
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
    }

    @Test
    void linkedProcessesAreSignalledWithKilledWhichTheyCanTrap() {
      CompletableFuture<Pid> child = new CompletableFuture<>();
      CompletableFuture<Object> received = new CompletableFuture<>();
      Pid parent =
          node.spawn(
              self -> {
                self.trapExits(true);
                child.complete(self.spawnLink(other -> other.receive()));
                received.complete(self.receive());
                self.receive();
              });
      Pid linked = Futures.result(child);

      node.kill(linked);

      assertThat(Futures.result(received)).isEqualTo(new Exit(linked, ExitReason.killed()));
      assertThat(parent.isAlive()).isTrue();
    }

    @Test
    void killingAnExitedProcessChangesNothing() {
      Pid pid = node.spawn(self -> {});
      awaitExit(pid);

      node.kill(pid);
      node.exit(pid, ExitReason.shutdown());

      assertThat(pid.exitReason()).contains(ExitReason.normal());
    }

    @Test
    void aKilledProcessDoesNotGoOnReceivingMessagesItSetAside() {
      CompletableFuture<Object> afterKill = new CompletableFuture<>();
      Pid pid =
          node.spawn(
              self -> {
                self.receive(m -> "go".equals(m), TIMEOUT);
                self.node().kill(self.self());
                afterKill.complete(self.receive());
              });
      pid.send("set aside");
      pid.send("go");

      assertThat(awaitExit(pid)).isEqualTo(ExitReason.killed());
      await().atMost(TIMEOUT).until(() -> node.processCount() == 0);
      assertThat(afterKill).isNotDone();
    }
  }
}

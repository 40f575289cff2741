package dev.supervision.core.registry;

import static dev.supervision.test.Exits.awaitExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.Exit;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ServerRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class RegistryTest {
  private Node node;

  @BeforeEach
  void createNode() {
    node = Node.create("registry-test");
  }

  @AfterEach
  void closeNode() {
    node.close();
  }

  private Registry<String, @Nullable Object> unique() {
    return Registry.unique(node, "unique");
  }

  private Registry<String, @Nullable Object> duplicate() {
    return Registry.duplicate(node, "duplicate");
  }

  @Nested
  final class Register {
    @Test
    void registersTheCallingProcessWithItsValue() {
      Registry<String, @Nullable Object> registry = unique();
      Pid actor = Actor.start(node);
      Actor.exec(actor, () -> registry.register("alice", 42));
      assertThat(registry.lookup("alice")).containsExactly(new Registry.Entry<>(actor, 42));
      assertThat(registry.whereis("alice")).contains(actor);
      assertThat(registry.count()).isEqualTo(1);
      assertThat(registry.keys(actor)).containsExactly("alice");
    }

    @Test
    void aUniqueKeyHeldByALiveProcess_isRefusedWithTheHolder() {
      Registry<String, @Nullable Object> registry = unique();
      Pid first = Actor.start(node);
      Pid second = Actor.start(node);
      Actor.exec(first, () -> registry.register("alice", 1));
      AlreadyRegisteredException e =
          catchThrowableOfType(
              AlreadyRegisteredException.class,
              () -> Actor.exec(second, () -> registry.register("alice", 2)));
      assertThat(e.holder()).isSameAs(first);
      assertThat(e.key()).isEqualTo("alice");
      assertThat(e.registry()).isEqualTo("unique");
      assertThat(registry.lookup("alice")).containsExactly(new Registry.Entry<>(first, 1));
    }

    @Test
    void aUniqueKeyHeldByTheCallerItself_isRefusedToo() {
      Registry<String, @Nullable Object> registry = unique();
      Pid actor = Actor.start(node);
      Actor.exec(actor, () -> registry.register("alice", 1));
      assertThatThrownBy(() -> Actor.exec(actor, () -> registry.register("alice", 2)))
          .isInstanceOfSatisfying(
              AlreadyRegisteredException.class, e -> assertThat(e.holder()).isSameAs(actor));
    }

    @Test
    void aDuplicateKeyAcceptsManyProcessesAndRepeatedRegistrations() {
      Registry<String, @Nullable Object> registry = duplicate();
      Pid a = Actor.start(node);
      Pid b = Actor.start(node);
      Actor.exec(a, () -> registry.register("topic", "a1"));
      Actor.exec(a, () -> registry.register("topic", "a2"));
      Actor.exec(b, () -> registry.register("topic", "b1"));
      assertThat(registry.lookup("topic"))
          .containsExactlyInAnyOrder(
              new Registry.Entry<>(a, "a1"),
              new Registry.Entry<>(a, "a2"),
              new Registry.Entry<>(b, "b1"));
      assertThat(registry.keys(a)).containsExactly("topic", "topic");
      assertThat(registry.values("topic", a)).containsExactlyInAnyOrder("a1", "a2");
      assertThat(registry.count()).isEqualTo(3);
      assertThat(registry.count("topic")).isEqualTo(3);
    }

    @Test
    void nullValuesAreAllowed() {
      Registry<String, @Nullable Object> registry = duplicate();
      Pid a = Actor.start(node);
      Actor.exec(a, () -> registry.register("k", null));
      assertThat(registry.values("k", a)).containsExactly((Object) null);
    }

    @Test
    void outsideAProcess_isRefused() {
      Registry<String, @Nullable Object> registry = unique();
      assertThatThrownBy(() -> registry.register("alice", 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("must be called from a process");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unique", "duplicate"})
    void nullAndEmptyKeys_areRefusedWithAClearMessage(String kind) {
      Registry<String, @Nullable Object> registry = kind.equals("unique") ? unique() : duplicate();
      Pid actor = Actor.start(node);
      assertThatThrownBy(() -> Actor.exec(actor, () -> registry.register(nullKey(), 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("registry '" + kind + "': key must not be null");
      assertThatThrownBy(() -> Actor.exec(actor, () -> registry.register("", 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("registry '" + kind + "': key must not be an empty string");
      assertThatThrownBy(() -> registry.lookup("")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> registry.via(nullKey()))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProcessKilledWhileItsThreadStillRuns_cannotRegister() throws Exception {
      Registry<String, @Nullable Object> registry = unique();
      CountDownLatch killed = new CountDownLatch(1);
      CompletableFuture<Throwable> outcome = new CompletableFuture<>();
      Pid stubborn =
          node.spawn(
              self -> {
                // Ignores the interrupt of the kill, as code that swallows interrupts does.
                while (true) {
                  try {
                    killed.await();
                    break;
                  } catch (InterruptedException e) {
                    // keep waiting
                  }
                }
                try {
                  registry.register("ghost", 1);
                  outcome.complete(new AssertionError("registered"));
                } catch (RuntimeException e) {
                  outcome.complete(e);
                }
              });
      node.kill(stubborn);
      awaitExit(stubborn, Actor.TIMEOUT);
      killed.countDown();
      assertThat(Actor.await(outcome))
          .isInstanceOfSatisfying(
              NotAliveException.class, e -> assertThat(e.pid()).isSameAs(stubborn));
      assertThat(registry.lookup("ghost")).isEmpty();
      assertThat(registry.count()).isZero();
    }

    @Test
    void twoProcessesRacingForAUniqueKey_exactlyOneWins() throws Exception {
      Registry<String, @Nullable Object> registry = unique();
      for (int round = 0; round < 200; round++) {
        String key = "key-" + round;
        CountDownLatch go = new CountDownLatch(1);
        CopyOnWriteArrayList<Pid> winners = new CopyOnWriteArrayList<>();
        CopyOnWriteArrayList<Pid> holders = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
          node.spawn(
              self -> {
                go.await();
                try {
                  registry.register(key, null);
                  winners.add(self.self());
                } catch (AlreadyRegisteredException e) {
                  holders.add(e.holder());
                }
                done.countDown();
                self.receive();
              });
        }
        go.countDown();
        done.await();
        assertThat(winners).hasSize(1);
        assertThat(holders).containsExactly(winners.get(0));
        assertThat(registry.whereis(key)).contains(winners.get(0));
      }
    }
  }

  @Nested
  final class Unregister {
    @Test
    void removesAllOfTheCallersEntriesUnderTheKey() {
      Registry<String, @Nullable Object> registry = duplicate();
      Pid a = Actor.start(node);
      Pid b = Actor.start(node);
      Actor.exec(a, () -> registry.register("topic", 1));
      Actor.exec(a, () -> registry.register("topic", 2));
      Actor.exec(b, () -> registry.register("topic", 3));
      Actor.exec(a, () -> registry.unregister("topic"));
      assertThat(registry.lookup("topic")).containsExactly(new Registry.Entry<>(b, 3));
      assertThat(registry.keys(a)).isEmpty();
      assertThat(registry.count()).isEqualTo(1);
    }

    @Test
    void unregisteringAKeyOwnedByAnotherProcess_isANoOp() {
      Registry<String, @Nullable Object> registry = unique();
      Pid owner = Actor.start(node);
      Pid other = Actor.start(node);
      Actor.exec(owner, () -> registry.register("alice", 1));
      Actor.exec(other, () -> registry.unregister("alice"));
      Actor.exec(other, () -> registry.unregister("never-registered"));
      assertThat(registry.whereis("alice")).contains(owner);
    }

    @Test
    void aKeyCanBeRegisteredAgainAfterUnregistering() {
      Registry<String, @Nullable Object> registry = unique();
      Pid a = Actor.start(node);
      Pid b = Actor.start(node);
      Actor.exec(a, () -> registry.register("alice", 1));
      Actor.exec(a, () -> registry.unregister("alice"));
      assertThat(registry.lookup("alice")).isEmpty();
      Actor.exec(b, () -> registry.register("alice", 2));
      assertThat(registry.whereis("alice")).contains(b);
      assertThat(registry.count()).isEqualTo(1);
    }

    @Test
    void unregisterMatch_removesOnlyTheCallersMatchingEntries() {
      Registry<String, @Nullable Object> registry = duplicate();
      Pid a = Actor.start(node);
      Pid b = Actor.start(node);
      Actor.exec(a, () -> registry.register("topic", 1));
      Actor.exec(a, () -> registry.register("topic", 2));
      Actor.exec(b, () -> registry.register("topic", 1));
      Actor.exec(a, () -> registry.unregisterMatch("topic", v -> Integer.valueOf(1).equals(v)));
      assertThat(registry.lookup("topic"))
          .containsExactlyInAnyOrder(new Registry.Entry<>(a, 2), new Registry.Entry<>(b, 1));
      assertThat(registry.keys(a)).containsExactly("topic");
    }

    @Test
    void outsideAProcess_isRefused() {
      Registry<String, @Nullable Object> registry = unique();
      assertThatThrownBy(() -> registry.unregister("alice"))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  final class ProcessExit {
    @ParameterizedTest
    @ValueSource(strings = {"normal", "crash", "kill", "shutdown"})
    void removesEveryEntryOfTheProcess_whateverTheReason(String how) {
      Registry<String, @Nullable Object> unique = unique();
      Registry<String, @Nullable Object> duplicate = duplicate();
      Pid actor = Actor.start(node);
      Actor.exec(
          actor,
          () -> {
            unique.register("a", 1);
            unique.register("b", 2);
            duplicate.register("t", 1);
            duplicate.register("t", 2);
          });
      switch (how) {
        case "normal" -> ServerRef.of(actor).stop();
        case "crash" -> Actor.crash(actor);
        case "kill" -> node.kill(actor);
        default -> node.exit(actor, ExitReason.shutdown());
      }
      awaitExit(actor, Actor.TIMEOUT);
      assertThat(unique.count()).isZero();
      assertThat(duplicate.count()).isZero();
      assertThat(unique.lookup("a")).isEmpty();
      assertThat(duplicate.lookup("t")).isEmpty();
      assertThat(unique.keys(actor)).isEmpty();
    }

    @Test
    void entriesAreGoneBeforeLinkedProcessesLearnOfTheExit() {
      Registry<String, @Nullable Object> registry = unique();
      CompletableFuture<List<Registry.Entry<@Nullable Object>>> seenAtExit =
          new CompletableFuture<>();
      CompletableFuture<Integer> countAtExit = new CompletableFuture<>();
      CountDownLatch registered = new CountDownLatch(1);
      node.spawn(
          self -> {
            self.trapExits(true);
            Pid child =
                self.spawnLink(
                    c -> {
                      registry.register("child", null);
                      registered.countDown();
                      c.receive();
                      throw new IllegalStateException("crash");
                    });
            registered.await();
            child.send("go");
            Object message = self.receive();
            if (message instanceof Exit) {
              seenAtExit.complete(registry.lookup("child"));
              countAtExit.complete(registry.count());
            }
          });
      assertThat(Actor.await(seenAtExit)).isEmpty();
      assertThat(Actor.await(countAtExit)).isZero();
    }

    @Test
    void aLookupNeverReturnsADeadPid_evenInsideAnExitCallback() {
      Registry<String, @Nullable Object> registry = duplicate();
      Pid actor = Actor.start(node);
      Actor.exec(actor, () -> registry.register("t", 1));
      AtomicReference<List<Registry.Entry<@Nullable Object>>> seen = new AtomicReference<>();
      CompletableFuture<ExitReason> exit = new CompletableFuture<>();
      node.monitor(
          actor,
          (pid, reason) -> {
            seen.set(registry.lookup("t"));
            exit.complete(reason);
          });
      Actor.crash(actor);
      Actor.await(exit);
      assertThat(seen.get()).isEmpty();
      assertThat(registry.lookup("t")).isEmpty();
    }

    @Test
    void lookupsAfterAnObservedExitNeverContainTheDeadProcess() {
      Registry<String, @Nullable Object> registry = duplicate();
      List<Pid> members = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 200; i++) {
        Pid actor = Actor.start(node);
        Actor.exec(actor, () -> registry.register("group", null));
        members.add(actor);
      }
      for (Pid member : members) {
        node.kill(member);
        awaitExit(member, Actor.TIMEOUT);
        assertThat(registry.lookup("group")).extracting(Registry.Entry::pid).doesNotContain(member);
        assertThat(registry.lookup("group")).allMatch(e -> e.pid().isAlive());
      }
      assertThat(registry.count()).isZero();
    }

    @Test
    void registrationsRacingWithKills_leaveNoEntryBehind() {
      Registry<String, @Nullable Object> registry = duplicate();
      List<Pid> pids = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 300; i++) {
        int n = i;
        pids.add(
            node.spawn(
                self -> {
                  for (int j = 0; ; j++) {
                    registry.register("k" + (j % 7), n);
                    if (j % 3 == 0) {
                      registry.unregister("k" + (j % 5));
                    }
                  }
                }));
      }
      for (Pid pid : pids) {
        node.kill(pid);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(registry.count()).isZero());
      for (int k = 0; k < 7; k++) {
        assertThat(registry.lookup("k" + k)).isEmpty();
      }
    }
  }

  @Nested
  final class Queries {
    @Test
    void matchAndCountMatchFilterByValue() {
      Registry<String, @Nullable Object> registry = duplicate();
      Pid a = Actor.start(node);
      Pid b = Actor.start(node);
      Actor.exec(a, () -> registry.register("t", "admin"));
      Actor.exec(b, () -> registry.register("t", "guest"));
      assertThat(registry.match("t", "admin"::equals))
          .containsExactly(new Registry.Entry<>(a, "admin"));
      assertThat(registry.countMatch("t", v -> v != null)).isEqualTo(2);
      assertThat(registry.count("t")).isEqualTo(2);
      assertThat(registry.count("none")).isZero();
      assertThat(registry.lookup("none")).isEmpty();
    }

    @Test
    void dispatch_callsBackOnceWithTheLiveEntries_andNotAtAllWhenThereAreNone() {
      Registry<String, @Nullable Object> registry = duplicate();
      Pid a = Actor.start(node);
      Pid b = Actor.start(node);
      Actor.exec(a, () -> registry.register("t", 1));
      Actor.exec(b, () -> registry.register("t", 2));
      List<List<Registry.Entry<@Nullable Object>>> calls = new CopyOnWriteArrayList<>();
      registry.dispatch("t", calls::add);
      registry.dispatch("empty", calls::add);
      assertThat(calls).hasSize(1);
      assertThat(calls.get(0)).extracting(Registry.Entry::pid).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void updateValue_replacesTheOwnersValue() {
      Registry<String, @Nullable Object> registry = unique();
      Pid owner = Actor.start(node);
      Pid other = Actor.start(node);
      Actor.exec(owner, () -> registry.register("counter", 1));
      Registry.ValueUpdate<@Nullable Object> update =
          Actor.run(owner, () -> registry.updateValue("counter", v -> (Integer) v + 1).get());
      assertThat(update).isEqualTo(new Registry.ValueUpdate<@Nullable Object>(2, 1));
      assertThat(registry.lookup("counter")).containsExactly(new Registry.Entry<>(owner, 2));
      assertThat(Actor.run(other, () -> registry.updateValue("counter", v -> 99))).isEmpty();
      assertThat(Actor.run(owner, () -> registry.updateValue("missing", v -> 99))).isEmpty();
      assertThat(registry.lookup("counter")).containsExactly(new Registry.Entry<>(owner, 2));
    }

    @Test
    void updateValue_onADuplicateRegistry_isRefused() {
      Registry<String, @Nullable Object> registry = duplicate();
      Pid owner = Actor.start(node);
      assertThatThrownBy(() -> Actor.exec(owner, () -> registry.updateValue("k", v -> v)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("only supported for unique registries");
    }

    @Test
    void metadataIsStoredReadAndDeleted() {
      Registry<String, @Nullable Object> registry = unique();
      assertThat(registry.meta("custom")).isEmpty();
      registry.putMeta("custom", "value");
      assertThat(registry.meta("custom")).contains("value");
      registry.deleteMeta("custom");
      assertThat(registry.meta("custom")).isEmpty();
    }
  }

  @Nested
  final class Lifecycle {
    @Test
    void aNameIsUniquePerNode_andFreedByClose() {
      Registry<String, @Nullable Object> registry = unique();
      assertThat(Registry.find(node, "unique")).containsSame(registry);
      assertThat(Registry.all(node)).containsExactly(registry);
      assertThatThrownBy(() -> Registry.duplicate(node, "unique"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already has a registry named 'unique'");
      registry.close();
      assertThat(registry.isClosed()).isTrue();
      assertThat(Registry.find(node, "unique")).isEmpty();
      assertThat(Registry.unique(node, "unique")).isNotSameAs(registry);
    }

    @Test
    void closeDropsEntriesAndRefusesRegistrations() {
      Registry<String, @Nullable Object> registry = unique();
      Pid actor = Actor.start(node);
      Actor.exec(actor, () -> registry.register("a", 1));
      registry.close();
      assertThat(registry.lookup("a")).isEmpty();
      assertThat(registry.count()).isZero();
      assertThatThrownBy(() -> Actor.exec(actor, () -> registry.register("b", 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }

    @Test
    void specValidation_namesTheBadValue() {
      assertThatThrownBy(() -> RegistrySpec.unique("r").withPartitions(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("registry 'r': partitions must be >= 1 but was 0");
      assertThatThrownBy(() -> RegistrySpec.unique(" "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must not be null or blank");
      assertThat(RegistrySpec.unique("r").partitions())
          .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16})
    void anyNumberOfPartitionsBehavesTheSame(int partitions) {
      Registry<String, @Nullable Object> registry =
          Registry.create(node, RegistrySpec.duplicate("p").withPartitions(partitions));
      Pid a = Actor.start(node);
      Actor.exec(
          a,
          () -> {
            for (int i = 0; i < 100; i++) {
              registry.register("k" + i, i);
            }
          });
      assertThat(registry.count()).isEqualTo(100);
      for (int i = 0; i < 100; i++) {
        assertThat(registry.lookup("k" + i)).containsExactly(new Registry.Entry<>(a, i));
      }
      assertThat(registry.keys(a)).hasSize(100);
      Actor.crash(a);
      assertThat(registry.count()).isZero();
    }
  }

  @Nested
  final class Events {
    @Test
    void registrationsAndRemovalsArePublishedWithTheRegistryName() {
      Registry<String, @Nullable Object> registry = unique();
      List<SupervisionEvent> events = new CopyOnWriteArrayList<>();
      EventBus.of(node).subscribe(events::add);
      Pid actor = Actor.start(node);
      Actor.exec(actor, () -> registry.register("a", 1));
      Actor.exec(actor, () -> registry.register("b", 1));
      Actor.exec(actor, () -> registry.unregister("a"));
      Actor.crash(actor);
      assertThat(events)
          .extracting(RegistryTest::describe)
          .containsExactly("+unique:a", "+unique:b", "-unique:a", "-unique:b");
    }

    @Test
    void aRegistryWithEventsOff_publishesNothing() {
      Registry<String, @Nullable Object> registry =
          Registry.create(node, RegistrySpec.unique("quiet").withEvents(false));
      List<SupervisionEvent> events = new CopyOnWriteArrayList<>();
      EventBus.of(node).subscribe(events::add);
      Pid actor = Actor.start(node);
      Actor.exec(actor, () -> registry.register("a", 1));
      Actor.crash(actor);
      assertThat(events).isEmpty();
    }

    @Test
    void subscribersHearOfEveryChangeUnderTheirKey() {
      Registry<String, @Nullable Object> registry = duplicate();
      List<Integer> sizes = new CopyOnWriteArrayList<>();
      Subscription subscription =
          registry.subscribe("t", () -> sizes.add(registry.lookup("t").size()));
      Pid a = Actor.start(node);
      Actor.exec(a, () -> registry.register("t", 1));
      Actor.exec(a, () -> registry.register("t", 2));
      Actor.exec(a, () -> registry.register("other", 2));
      Actor.exec(a, () -> registry.unregister("t"));
      Actor.exec(a, () -> registry.register("t", 3));
      Actor.crash(a);
      assertThat(sizes).containsExactly(1, 2, 0, 1, 0);
      subscription.close();
      Pid b = Actor.start(node);
      Actor.exec(b, () -> registry.register("t", 1));
      assertThat(sizes).hasSize(5);
    }
  }

  static String describe(SupervisionEvent event) {
    return switch (event) {
      case SupervisionEvent.EntryRegistered r -> "+" + r.registry() + ":" + r.key();
      case SupervisionEvent.EntryRemoved r -> "-" + r.registry() + ":" + r.key();
      default -> event.toString();
    };
  }

  @SuppressWarnings({"NullAway", "DataFlowIssue"})
  static String nullKey() {
    return null;
  }
}

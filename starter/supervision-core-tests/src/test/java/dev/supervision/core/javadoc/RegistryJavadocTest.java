package dev.supervision.core.javadoc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.javadoc.Examples.Room;
import dev.supervision.core.process.InProcess;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Keys;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.registry.Registry.Registration;
import dev.supervision.core.registry.RegistrySpec;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.test.SupervisionTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * The Javadoc examples of the registry package, each quoted verbatim after a "// Javadoc: Type"
 * comment that names its source (JavadocSnippetsTest checks that every one is quoted), run, with
 * what they claim asserted.
 */
@SupervisionTest
final class RegistryJavadocTest {

  @Nested
  final class RegistryExample {
    private final String headline = "registries are partitioned";

    record Seen(String topic, List<Object> mailbox) {}

    @Test
    void aServerIsCalledViaItsKeyAndADispatchReachesEverySubscriber(Node node) {
      Seen seen =
          InProcess.run(
              node,
              self -> {
                // Javadoc: Registry
                Registry<String, @Nullable Object> rooms = Registry.unique(node, "rooms");
                GenServer.start(node, Room::new, StartOptions.named(rooms.via("room:lobby")));
                ServerRef<Room.Message> lobby = ServerRef.of(rooms.via("room:lobby"));
                String topic = lobby.call(Room.GetTopic::new);

                Registry<String, String> topics = Registry.duplicate(node, "topics");
                // inside a subscriber process:
                topics.register("news", "subscriber-1");
                // anywhere:
                topics.dispatch("news", entries -> entries.forEach(e -> e.pid().send(headline)));

                List<Object> mailbox = new ArrayList<>();
                self.drainMailbox(mailbox::add); // dispatch sends before it returns
                lobby.stop();
                return new Seen(topic, mailbox);
              });

      assertThat(seen.topic()).isEqualTo("welcome to lobby");
      assertThat(seen.mailbox()).containsExactly(headline);
    }
  }

  /* Spawns a process that registers `entries` in `registry`, then waits until it is killed. */
  private static Pid registering(
      Node node, Registry<String, Integer> registry, Map<String, Integer> entries)
      throws Exception {
    CompletableFuture<Void> registered = new CompletableFuture<>();
    Pid pid =
        node.spawn(
            self -> {
              entries.forEach(registry::register);
              registered.complete(null);
              self.receive();
            });
    registered.get(5, TimeUnit.SECONDS);
    return pid;
  }

  @Nested
  final class SelectExample {

    @Test
    void aPredicateOverKeyPidAndValueSelectsAcrossAllKeys(Node node) throws Exception {
      Registry<String, Integer> scores = Registry.unique(node, "scores");
      Pid self = registering(node, scores, Map.of("ada", 150, "bea", 20));
      Pid other = registering(node, scores, Map.of("cy", 200, "dan", 50));

      // Javadoc: Registry.select
      // Elixir: Registry.select(reg, [{{:"$1", :_, :"$2"}, [{:>, :"$2", 100}], [:"$1"]}])
      List<String> rich =
          scores.select(r -> r.value() > 100).stream().map(Registration::key).toList();
      // Elixir: Registry.select(reg, [{{:"$1", self(), :_}, [], [:"$1"]}])
      List<Registration<String, Integer>> mine = scores.select(r -> r.pid() == self);

      assertThat(rich).containsExactlyInAnyOrder("ada", "cy");
      assertThat(mine).extracting(Registration::key).containsExactlyInAnyOrder("ada", "bea");
      assertThat(mine).extracting(Registration::pid).containsOnly(self);
      node.kill(self);
      node.kill(other);
    }
  }

  record Receipt(String account, long amount) {}

  @Nested
  final class LockExample {
    private final List<String> held = new ArrayList<>();

    private Receipt transfer(String account, long amount) {
      held.add(account);
      return new Receipt(account, amount);
    }

    @Test
    void theFunctionRunsUnderTheLockAndItsResultIsReturned(Node node) {
      Registry<String, Object> accounts = Registry.unique(node, "accounts");
      String accountId = "acc-1";
      long amount = 100;

      // Javadoc: Registry.lock
      // Elixir: Registry.lock(Accounts, account_id, fn -> transfer(account_id, amount) end)
      Receipt receipt = accounts.lock(accountId, () -> transfer(accountId, amount));

      assertThat(receipt).isEqualTo(new Receipt("acc-1", 100));
      assertThat(held).containsExactly("acc-1");
    }
  }

  @Nested
  final class RegistrySpecExample {

    @Test
    void aRegistryIsMadeFromItsSpecWithItsKeysPartitionsEventsAndMeta(Node node) {
      // Javadoc: RegistrySpec
      Registry<String, Object> rooms = Registry.create(node, RegistrySpec.unique("rooms"));
      Registry<String, String> topics =
          Registry.create(
              node, RegistrySpec.duplicate("topics").withPartitions(8).withEvents(false));
      // Elixir: Registry.start_link(keys: :unique, name: Sessions, meta: [region: "eu"])
      Registry<String, Object> sessions =
          Registry.create(node, RegistrySpec.unique("sessions").withMeta("region", "eu"));
      sessions.meta("region"); // Optional[eu]

      assertThat(rooms.keys()).isEqualTo(Keys.UNIQUE);
      assertThat(topics.keys()).isEqualTo(Keys.DUPLICATE);
      assertThat(topics.spec().partitions()).isEqualTo(8);
      assertThat(topics.spec().events()).isFalse();
      assertThat(sessions.meta("region")).hasToString("Optional[eu]");
    }
  }
}

package dev.supervision.core.javadoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.supervision.core.javadoc.Examples.Cache;
import dev.supervision.core.javadoc.Examples.Counter;
import dev.supervision.core.javadoc.Examples.Extra;
import dev.supervision.core.javadoc.Examples.Feed;
import dev.supervision.core.javadoc.Examples.History;
import dev.supervision.core.javadoc.Examples.Profile;
import dev.supervision.core.javadoc.Examples.Room;
import dev.supervision.core.javadoc.Examples.Users;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.AutoShutdown;
import dev.supervision.core.supervisor.Backoff;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.ChildState;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.NamedChildren;
import dev.supervision.core.supervisor.PartitionSupervisor;
import dev.supervision.core.supervisor.PartitionSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Shutdown;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.core.supervisor.TreeSpec;
import dev.supervision.test.SupervisionTest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * The Javadoc examples of the supervisor package, each quoted verbatim after a "// Javadoc: Type"
 * comment that names its source (JavadocSnippetsTest checks that every one is quoted), run, with
 * what they claim asserted.
 */
@SupervisionTest
final class SupervisorJavadocTest {

  @Nested
  final class Specs {

    @Test
    void aChildSpecIsPermanentWithAFiveSecondShutdownUnlessToldOtherwise() {
      // Javadoc: ChildSpec
      ChildSpec counter = ChildSpec.server("counter", Counter::new);
      ChildSpec cache =
          ChildSpec.server("cache", Cache::new)
              .withRestart(Restart.TRANSIENT)
              .withShutdown(Shutdown.brutalKill());

      assertThat(counter.restart()).isEqualTo(Restart.PERMANENT);
      assertThat(counter.shutdown()).isEqualTo(Shutdown.timeout(Duration.ofSeconds(5)));
      assertThat(cache.restart()).isEqualTo(Restart.TRANSIENT);
      assertThat(cache.shutdown()).isEqualTo(Shutdown.brutalKill());
    }

    @Test
    void aChildTakingExtraArgumentsGetsItsDynamicSupervisorsAtItsStart(Node node) {
      // Javadoc: ChildSpec.worker(id, argumentsType, start)
      record Settings(String roomName) {}
      DynamicSupervisorRef rooms =
          DynamicSupervisor.start(
              node, DynamicSupervisorSpec.of("rooms").withExtraArguments(new Settings("lobby")));
      Pid lobby =
          rooms.startChild(
              ChildSpec.worker(
                  "room",
                  Settings.class,
                  settings -> GenServer.startLink(() -> new Room(settings.roomName())).pid()));

      assertThat(ServerRef.<Room.Message>of(lobby).call(Room.GetTopic::new))
          .isEqualTo("welcome to lobby");
      rooms.stop();
    }

    @Test
    void aBackoffGoesFromItsMinimumToItsMaximum() {
      // Javadoc: Backoff
      ChildSpec flaky =
          ChildSpec.server("feed", Feed::new)
              .withBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30)));

      assertThat(flaky.backoff()).isNotNull();
      assertThat(flaky.backoff().min()).isEqualTo(Duration.ofMillis(100));
      assertThat(flaky.backoff().max()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aPartitionSupervisorSpecHasTheGivenNumberOfPartitions() {
      // Javadoc: PartitionSupervisorSpec
      PartitionSupervisorSpec<Cache.Message> spec =
          PartitionSupervisorSpec.of("caches", 8, partition -> new Cache(partition));

      assertThat(spec.name()).isEqualTo("caches");
      assertThat(spec.partitions()).isEqualTo(8);
    }
  }

  @Nested
  final class StaticSupervisors {

    @Test
    void aSupervisorStartsItsChildrenInOrder(Node node) {
      // Javadoc: SupervisorSpec
      SupervisorSpec spec =
          SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
              .withIntensity(3, Duration.ofSeconds(5))
              .withChildren(
                  ChildSpec.server("users", Users::new), ChildSpec.server("counter", Counter::new));
      SupervisorRef app = Supervisor.start(node, spec);

      assertThat(app.whichChildren())
          .extracting(ChildInfo::id, ChildInfo::state)
          .containsExactly(
              tuple("users", ChildState.RUNNING), tuple("counter", ChildState.RUNNING));
      app.stop();
    }

    @Test
    void aChildStartedTerminatedRestartedTerminatedAndDeletedIsGone(Node node) {
      // Javadoc: SupervisorRef
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
                  .withChildren(ChildSpec.server("counter", Counter::new)));
      sup.startChild(ChildSpec.server("extra", Extra::new));
      sup.terminateChild("extra"); // stopped, spec kept
      sup.restartChild("extra"); // running again
      sup.terminateChild("extra");
      sup.deleteChild("extra"); // gone

      assertThat(sup.whichChildren()).extracting(ChildInfo::id).containsExactly("counter");
      sup.stop();
    }

    @Test
    void aTreeStartsAsDeclared(Node node) {
      // Javadoc: TreeSpec
      TreeSpec tree =
          TreeSpec.builder(SupervisorSpec.of("root", Strategy.ONE_FOR_ONE))
              .supervisor("root", SupervisorSpec.of("chat", Strategy.REST_FOR_ONE))
              .supervisor("chat", DynamicSupervisorSpec.of("rooms").withMaxChildren(1000))
              .supervisor(
                  "root",
                  SupervisorSpec.of("imports", Strategy.ONE_FOR_ONE)
                      .withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT))
              .asChild("imports", Restart.TRANSIENT, false)
              .child("chat", ChildSpec.server("history", History::new))
              .build();
      SupervisorRef root = Supervisor.start(node, tree.toSupervisorSpec());
      // root -> [chat -> [rooms, history], imports]

      assertThat(root.whichChildren()).extracting(ChildInfo::id).containsExactly("chat", "imports");
      Pid chat = root.whichChildren().get(0).pid();
      assertThat(SupervisorRef.of(chat).whichChildren())
          .extracting(ChildInfo::id)
          .containsExactly("rooms", "history");
      root.stop();
    }
  }

  @Nested
  final class DynamicSupervisors {

    @Test
    void aDynamicSupervisorStartsAndTerminatesAChildByPid(Node node) {
      // Javadoc: DynamicSupervisor
      DynamicSupervisorRef rooms =
          DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms").withMaxChildren(1000));
      Pid lobby = rooms.startChild(ChildSpec.server("room", () -> new Room("lobby")));
      rooms.terminateChild(lobby);

      assertThat(lobby.isAlive()).isFalse();
      assertThat(rooms.whichChildren()).isEmpty();
      rooms.stop();
    }

    @Test
    void aDynamicSupervisorRefStartsAndTerminatesAChildByPid(Node node) {
      // Javadoc: DynamicSupervisorRef
      DynamicSupervisorRef rooms = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms"));
      Pid lobby = rooms.startChild(ChildSpec.server("room", () -> new Room("lobby")));
      rooms.terminateChild(lobby);

      assertThat(lobby.isAlive()).isFalse();
      assertThat(rooms.whichChildren()).isEmpty();
      rooms.stop();
    }

    @Test
    void namedChildrenStartAKeysServerOnFirstUseAndFindNeverStartsOne(Node node) {
      DynamicSupervisorRef roomSupervisor =
          DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms"));
      Registry<String, Object> roomNames = Registry.unique(node, "room-names");

      // Javadoc: NamedChildren
      NamedChildren<String, Room.Message> rooms =
          NamedChildren.of(roomSupervisor, roomNames, "room", Room::new)
              .withRestart(Restart.TRANSIENT);
      rooms.findOrStart("lobby").cast(new Room.Post("ada", "hello")); // started on first use
      Optional<ServerRef<Room.Message>> kitchen = rooms.find("kitchen"); // never starts

      assertThat(kitchen).isEmpty();
      assertThat(rooms.ref("lobby").call(Room.GetTopic::new)).isEqualTo("welcome to lobby");
      assertThat(rooms.ref("lobby").call(Room.GetPosts::new)).containsExactly("ada: hello");
      assertThat(roomSupervisor.whichChildren())
          .singleElement()
          .satisfies(child -> assertThat(child.restart()).isEqualTo(Restart.TRANSIENT));
      roomSupervisor.stop();
    }

    @Test
    void aKeyAlwaysGoesToTheSamePartition(Node node) {
      Profile profile = new Profile("ada");

      // Javadoc: PartitionSupervisor
      PartitionSupervisor<Cache.Message> caches =
          PartitionSupervisor.start(
              node, PartitionSupervisorSpec.of("caches", 8, partition -> new Cache(partition)));
      caches
          .partitionOf("user:42")
          .cast(
              new Cache.Put(
                  "user:42", profile)); // Elixir's {:via, PartitionSupervisor, {name, key}}
      Profile p = caches.partitionOf("user:42").call(r -> new Cache.Get("user:42", r));

      assertThat(p).isEqualTo(profile);
      int partition = caches.partitionOf("user:42").call(Cache.GetPartition::new);
      assertThat(partition).isEqualTo(caches.indexOf("user:42"));
      assertThat(caches.whichChildren()).hasSize(8);
      caches.stop();
    }
  }
}

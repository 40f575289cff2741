package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.StartOptions;
import dev.supervision.test.Exits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * The DynamicSupervisor + Registry "via" pattern of Elixir applications (Registry's docs, "Using in
 * :via"; DynamicSupervisor's docs, start_child with {:error, {:already_started, pid}}), as one call.
 */
final class NamedChildrenTest {
  private final Node node = Node.create("named-children");
  private final Registry<String, Object> names = Registry.unique(node, "names");
  private final DynamicSupervisorRef rooms =
      DynamicSupervisor.start(
          node, DynamicSupervisorSpec.of("rooms").withIntensity(100, Duration.ofSeconds(5)));
  private final AtomicInteger instances = new AtomicInteger();

  @AfterEach
  void close() {
    node.close();
  }

  static final class Room implements Server<Room.Message> {
    sealed interface Message {}

    record Name(ReplyTo<String> replyTo) implements Message {}

    record Post(String text) implements Message {}

    record Posts(ReplyTo<List<String>> replyTo) implements Message {}

    enum Crash implements Message {
      INSTANCE
    }

    enum Leave implements Message {
      INSTANCE
    }

    private final String name;
    private final List<String> posts = new ArrayList<>();
    private dev.supervision.core.server.ServerContext<Message> context;

    Room(String name, AtomicInteger instances) {
      this.name = name;
      instances.incrementAndGet();
    }

    @Override
    public void init(dev.supervision.core.server.ServerContext<Message> context) {
      this.context = context;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Name(var replyTo) -> replyTo.reply(name);
        case Post(String text) -> posts.add(text);
        case Posts(var replyTo) -> replyTo.reply(List.copyOf(posts));
        case Crash c -> throw new IllegalStateException("room " + name + " crashed on request");
        case Leave l -> context.stop(dev.supervision.core.process.ExitReason.normal());
      }
    }
  }

  private NamedChildren<String, Room.Message> children() {
    return NamedChildren.of(rooms, names, "room", key -> new Room(key, instances));
  }

  @Nested
  class FindOrStart {
    @Test
    void startsTheServerOfAKeyOnFirstUseAndFindsItAfterwards() {
      NamedChildren<String, Room.Message> children = children();

      children.findOrStart("lobby").cast(new Room.Post("hello"));

      assertThat(children.findOrStart("lobby").call(Room.Posts::new)).containsExactly("hello");
      assertThat(instances).hasValue(1);
      assertThat(children.count()).isEqualTo(1);
    }

    @Test
    void concurrentFirstUsesOfOneKeyStartOneServer() throws Exception {
      NamedChildren<String, Room.Message> children = children();
      int threads = 16;
      CountDownLatch go = new CountDownLatch(1);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Pid>> pids = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          pids.add(
              pool.submit(
                  () -> {
                    go.await();
                    return children.findOrStart("lobby").pid();
                  }));
        }
        go.countDown();
        Set<Pid> distinct = new HashSet<>();
        for (Future<Pid> pid : pids) {
          distinct.add(pid.get());
        }
        assertThat(distinct).hasSize(1);
      }
      assertThat(instances).hasValue(1);
      assertThat(rooms.countChildren().active()).isEqualTo(1);
    }

    @Test
    void everyChildHasTheSameIdAndIsToldApartByItsRegisteredNameNeverByItsLabel() {
      NamedChildren<String, Room.Message> children = children();
      children.findOrStart("a");
      children.findOrStart("b");

      assertThat(rooms.whichChildren()).extracting(ChildInfo::id).containsOnly("room");
      assertThat(rooms.whichChildren())
          .extracting(ChildInfo::name)
          .containsExactly(names.via("a"), names.via("b"));
      // the label tags call metrics: the server's, never the key (often user input)
      assertThat(children.findOrStart("b").pid().label()).contains("Room");
    }

    @Test
    void aKeyRegisteredByAProcessOutsideTheSupervisorIsFoundNotStartedAgain() { // already_started
      NamedChildren<String, Room.Message> children = children();
      Pid outsider =
          GenServer.start(
                  node, () -> new Room("outsider", instances), StartOptions.named(names.via("x")))
              .pid();

      assertThat(children.findOrStart("x").pid()).isEqualTo(outsider);
      assertThat(rooms.countChildren().specs()).isZero();
    }

    @Test
    void aCrashedServerIsRestartedWithFreshStateAndFoundUnderItsNewPid() {
      NamedChildren<String, Room.Message> children = children();
      children.findOrStart("lobby").cast(new Room.Post("before"));
      Pid before = children.findOrStart("lobby").pid();

      children.ref("lobby").cast(Room.Crash.INSTANCE);
      Exits.awaitExit(before);

      Pid after = children.findOrStart("lobby").pid();
      assertThat(after).isNotEqualTo(before);
      assertThat(children.findOrStart("lobby").call(Room.Posts::new)).isEmpty();
      assertThat(rooms.countChildren().specs()).isEqualTo(1); // restarted, not started twice
    }

    @Test
    void aTransientServerThatEndedNormallyIsStartedAnewOnNextUse() {
      NamedChildren<String, Room.Message> children = children().withRestart(Restart.TRANSIENT);
      Pid first = children.findOrStart("lobby").pid();

      children.ref("lobby").cast(Room.Leave.INSTANCE);
      Exits.awaitExit(first);

      assertThat(children.find("lobby")).isEmpty();
      Pid second = children.findOrStart("lobby").pid();
      assertThat(second).isNotEqualTo(first);
      assertThat(instances).hasValue(2);
    }

    @Test
    void aKeyWhoseRestartDoesNotComeBackInTimeIsReportedRestarting() {
      // A backoff far longer than the restart wait keeps the crashed server from coming back.
      DynamicSupervisorRef slow =
          DynamicSupervisor.start(
              node,
              DynamicSupervisorSpec.of("slow")
                  .withBackoff(Backoff.exponential(Duration.ofHours(1), Duration.ofHours(1))));
      NamedChildren<String, Room.Message> children =
          NamedChildren.<String, Room.Message>of(
                  slow, names, "room", key -> new Room(key, instances))
              .withRestartWait(Duration.ofMillis(50));
      Pid first = children.findOrStart("lobby").pid();

      children.ref("lobby").cast(Room.Crash.INSTANCE);
      Exits.awaitExit(first);

      assertThatThrownBy(() -> children.findOrStart("lobby"))
          .isInstanceOf(ChildException.Restarting.class)
          .hasMessageContaining("lobby");
      assertThat(children.find("lobby")).isEmpty();
      assertThat(slow.countChildren().specs()).isEqualTo(1); // not started a second time
    }

    @Test
    void aFullSupervisorRefusesANewKey() {
      DynamicSupervisorRef small =
          DynamicSupervisor.start(node, DynamicSupervisorSpec.of("small").withMaxChildren(1));
      NamedChildren<String, Room.Message> children =
          NamedChildren.of(small, names, "room", key -> new Room(key, instances));
      children.findOrStart("a");

      assertThatThrownBy(() -> children.findOrStart("b"))
          .isInstanceOf(ChildException.MaxChildren.class);
    }

    @Test
    void aKeyOfASupervisorThatHasSinceBeenReplacedIsStartedUnderTheNewOne() {
      NamedChildren<String, Room.Message> children = children();
      Pid first = children.findOrStart("lobby").pid();
      rooms.stop();
      Exits.awaitExit(first);

      assertThatThrownBy(() -> children.findOrStart("lobby"))
          .isInstanceOf(CallException.NoProc.class);
    }
  }

  @Nested
  class FindAndTerminate {
    @Test
    void findNeverStartsAServer() {
      assertThat(children().find("nobody")).isEmpty();
      assertThat(instances).hasValue(0);
    }

    @Test
    void terminateStopsTheServerForGood() {
      NamedChildren<String, Room.Message> children = children();
      Pid pid = children.findOrStart("lobby").pid();

      assertThat(children.terminate("lobby")).isTrue();

      assertThat(pid.isAlive()).isFalse();
      assertThat(children.find("lobby")).isEmpty();
      assertThat(rooms.countChildren().specs()).isZero();
      assertThat(children.terminate("lobby")).isFalse();
    }

    @Test
    void aDuplicateKeyRegistryIsRefused() {
      Registry<String, Object> groups = Registry.duplicate(node, "groups");
      assertThatThrownBy(
              () -> NamedChildren.of(rooms, groups, "room", key -> new Room(key, instances)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("duplicate keys");
    }
  }
}

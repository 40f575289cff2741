package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.test.Exits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/* Mirrors Elixir's test/elixir/partition_supervisor_test.exs where it applies. */
final class PartitionSupervisorTest {
  private final Node node = Node.create("partitions");

  @AfterEach
  void close() {
    node.close();
  }

  /* A partition that knows its number and counts what it was sent. */
  static final class Shard implements Server<Shard.Message> {
    sealed interface Message {}

    record Add(String key) implements Message {}

    record Keys(ReplyTo<List<String>> replyTo) implements Message {}

    record Number(ReplyTo<Integer> replyTo) implements Message {}

    enum Crash implements Message {
      INSTANCE
    }

    private final int partition;
    private final List<String> keys = new ArrayList<>();

    Shard(int partition) {
      this.partition = partition;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Add(String key) -> keys.add(key);
        case Keys(var replyTo) -> replyTo.reply(List.copyOf(keys));
        case Number(var replyTo) -> replyTo.reply(partition);
        case Crash c -> throw new IllegalStateException("crash on request");
      }
    }
  }

  private PartitionSupervisor<Shard.Message> start(int partitions) {
    return PartitionSupervisor.start(
        node, PartitionSupervisorSpec.of("shards", partitions, Shard::new));
  }

  @Nested
  class Starting {
    @Test
    void startsOneChildPerPartitionEachGivenItsNumber() { // "with_arguments"
      PartitionSupervisor<Shard.Message> shards = start(4);

      assertThat(shards.partitions()).isEqualTo(4);
      assertThat(shards.whichChildren())
          .extracting(ChildInfo::id)
          .containsExactly("0", "1", "2", "3");
      for (int i = 0; i < 4; i++) {
        assertThat(shards.partition(i).call(Shard.Number::new)).isEqualTo(i);
      }
    }

    @Test
    void countsThePartitionsAsWorkers() { // "count_children"
      ChildCounts counts = start(3).countChildren();

      assertThat(counts.specs()).isEqualTo(3);
      assertThat(counts.active()).isEqualTo(3);
      assertThat(counts.workers()).isEqualTo(3);
    }

    @Test
    void refusesFewerThanOnePartition() {
      assertThatThrownBy(() -> PartitionSupervisorSpec.of("shards", 0, Shard::new))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("partitions must be >= 1 but was 0");
    }

    @Test
    void defaultsToOnePartitionPerProcessor() {
      assertThat(PartitionSupervisorSpec.of("shards", Shard::new).partitions())
          .isEqualTo(Runtime.getRuntime().availableProcessors());
    }
  }

  @Nested
  class Routing {
    @Test
    void integerKeysGoToTheirAbsoluteValueModuloTheCount() { // Elixir: rem(abs(key), partitions)
      PartitionSupervisor<Shard.Message> shards = start(4);

      assertThat(shards.indexOf(6)).isEqualTo(2);
      assertThat(shards.indexOf(-6)).isEqualTo(2);
      assertThat(shards.indexOf(7L)).isEqualTo(3);
      assertThat(shards.partitionOf(5).call(Shard.Number::new)).isEqualTo(1);
    }

    @Test
    void theSameKeyAlwaysReachesTheSamePartition() { // "{:via, PartitionSupervisor, {name, key}}"
      PartitionSupervisor<Shard.Message> shards = start(4);

      for (int i = 0; i < 100; i++) {
        shards.partitionOf("user:" + (i % 10)).cast(new Shard.Add("user:" + (i % 10)));
      }

      Set<String> seen = new HashSet<>();
      for (int p = 0; p < 4; p++) {
        List<String> keys = shards.partition(p).call(Shard.Keys::new);
        for (String key : keys) {
          assertThat(shards.indexOf(key)).isEqualTo(p);
          seen.add(key);
        }
      }
      assertThat(seen).hasSize(10);
    }

    @Test
    void keysSpreadOverEveryPartition() {
      PartitionSupervisor<Shard.Message> shards = start(4);
      Set<Integer> used = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        used.add(shards.indexOf("key-" + i));
      }
      assertThat(used).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void aCrashedPartitionIsReachedAgainUnderItsNewPidWithFreshState() {
      PartitionSupervisor<Shard.Message> shards = start(2);
      shards.partition(1).cast(new Shard.Add("lost"));
      Pid before = shards.partition(1).pid();

      shards.partition(1).cast(Shard.Crash.INSTANCE);
      Exits.awaitExit(before);
      await().atMost(Duration.ofSeconds(5)).until(() -> shards.partition(1).whereis() != null);

      assertThat(shards.partition(1).pid()).isNotEqualTo(before);
      assertThat(shards.partition(1).call(Shard.Keys::new)).isEmpty();
      assertThat(shards.partition(1).call(Shard.Number::new)).isEqualTo(1);
      assertThat(shards.whichChildren().get(1).restarts()).isEqualTo(1);
    }
  }

  @Nested
  class InATree {
    @Test
    void aSupervisedPartitionSupervisorIsStartedByItsParent() {
      PartitionSupervisor<Shard.Message> shards =
          PartitionSupervisor.supervised(PartitionSupervisorSpec.of("shards", 2, Shard::new));
      assertThat(shards.supervisor()).isEmpty();
      assertThatThrownBy(() -> shards.partition(0).call(Shard.Number::new))
          .isInstanceOf(CallException.NoProc.class);

      SupervisorRef app =
          Supervisor.start(
              node,
              SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
                  .withChildren(shards.childSpec("shards")));

      assertThat(app.whichChildren().get(0).type()).isEqualTo(ChildType.SUPERVISOR);
      assertThat(shards.partition(0).call(Shard.Number::new)).isZero();
      assertThat(shards.supervisor()).isPresent();
    }
  }

  @Test
  void stopEndsEveryPartition() { // "stop/1"
    PartitionSupervisor<Shard.Message> shards = start(3);
    List<Pid> pids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pids.add(shards.partition(i).pid());
    }

    shards.stop();

    for (Pid pid : pids) {
      assertThat(pid.isAlive()).isFalse();
    }
    assertThat(shards.supervisor()).isEmpty();
  }
}

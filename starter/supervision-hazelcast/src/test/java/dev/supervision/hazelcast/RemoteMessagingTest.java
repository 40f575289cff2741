package dev.supervision.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ServerRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

final class RemoteMessagingTest {
  private TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.of(3);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /* A counter started on member 0, addressed from everywhere. */
  private ServerRef<Counter.Message> counterOnFirstMember() {
    return cluster.cluster(0).export(GenServer.start(cluster.node(0), Counter::new));
  }

  @Nested
  final class Call {

    @Test
    void returnsTheReplyOfAServerOnAnotherMember() {
      ServerRef<Counter.Message> counter = counterOnFirstMember();
      counter.cast(new Counter.Add(41));

      ServerRef<Counter.Message> fromSecond =
          ServerRef.of(cluster.cluster(1).bind(global(counter)));
      fromSecond.cast(new Counter.Add(1));
      assertThat(fromSecond.whereis()).isNull();
      await().atMost(TestCluster.WAIT).until(() -> fromSecond.call(Counter.Get::new) == 42L);
    }

    @Test
    void returnsANullReplyAsNull() {
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 2);

      Object reply = counter.call(replyTo -> new Counter.Echo(null, replyTo));

      assertThat(reply).isNull();
    }

    @Test
    void failsWithNoProcWhenTheServerHasExited() {
      ServerRef<Counter.Message> local = counterOnFirstMember();
      ServerRef<Counter.Message> counter = remote(local, 1);
      local.stop();

      assertThatThrownBy(() -> counter.call(Counter.Get::new))
          .isInstanceOf(CallException.NoProc.class);
    }

    @Test
    void failsWithServerExitedAndItsReasonWhenTheServerCrashesBeforeReplying() {
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 1);

      assertThatThrownBy(() -> counter.<Long>call(replyTo -> new Counter.Crash("boom", replyTo)))
          .isInstanceOfSatisfying(
              CallException.ServerExited.class,
              e ->
                  assertThat(e.reason())
                      .isInstanceOfSatisfying(
                          ExitReason.Crashed.class,
                          crashed ->
                              assertThat(crashed.error())
                                  .isInstanceOf(IllegalStateException.class)
                                  .hasMessage("boom")));
    }

    @Test
    void failsWithTimeoutWhenNoReplyComesInTime() {
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 1);

      assertThatThrownBy(() -> counter.call(Counter.Hold::new, Duration.ofMillis(200)))
          .isInstanceOf(CallException.Timeout.class);
      assertThat(counter.call(Counter.Get::new)).isZero(); // the server goes on
    }

    @Test
    void failsWithNodeDownWhenTheServersMemberDiesDuringTheCall() throws InterruptedException {
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 1);

      Thread killer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    await().pollDelay(Duration.ofMillis(100)).until(() -> true);
                    cluster.terminate(0);
                  });
      assertThatThrownBy(() -> counter.call(Counter.Hold::new, GenServer.INFINITY))
          .isInstanceOfSatisfying(
              CallException.NodeDown.class,
              e -> assertThat(e.node()).contains(global(counter).member().toString()));
      assertThat(killer.join(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void failsWithNodeDownAtOnceWhenTheServersMemberHasLeft() {
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 1);
      cluster.terminate(0);
      await().atMost(TestCluster.WAIT).until(() -> cluster.cluster(1).members().size() == 2);

      assertThatThrownBy(() -> counter.call(Counter.Get::new, GenServer.INFINITY))
          .isInstanceOf(CallException.NodeDown.class);
    }

    @Test
    void carriesAServerRefThatTheOtherMemberCallsBack() {
      ServerRef<Counter.Message> first = counterOnFirstMember();
      first.cast(new Counter.Add(7));
      ServerRef<Counter.Message> second =
          remote(cluster.cluster(1).export(GenServer.start(cluster.node(1), Counter::new)), 2);

      long value = second.call(replyTo -> new Counter.Ask(first, replyTo));

      assertThat(value).isEqualTo(7L);
    }
  }

  @Nested
  final class Ordering {

    @Test
    void castsFromOneSenderArriveInTheOrderSent() {
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 1);
      int count = 2_000;

      for (int i = 0; i < count; i++) {
        counter.cast(new Counter.Append(i));
      }
      List<Integer> appended = counter.call(Counter.Appended::new, Duration.ofSeconds(20));

      assertThat(appended).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }
  }

  @Nested
  final class Serialization {

    @Test
    void aMessageHoldingSomethingNotSerializableFailsAtTheSender() {
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 1);

      assertThatThrownBy(() -> counter.<Object>call(r -> new Counter.Echo(new Object(), r)))
          .isInstanceOf(UnserializableMessageException.class)
          .hasMessageContaining("java.lang.Object");
      assertThatThrownBy(() -> counter.cast(new Counter.Echo(new Object(), null)))
          .isInstanceOf(UnserializableMessageException.class);
    }

    @Test
    void aMessageHoldingAClassOutsideTheAllowListFailsAtTheSender() {
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 1);

      assertThatThrownBy(() -> counter.<Object>call(r -> new Counter.Echo(new AtomicLong(3), r)))
          .isInstanceOf(UnserializableMessageException.class)
          .hasMessageContaining("java.util.concurrent.atomic.AtomicLong")
          .hasMessageContaining("allow-list");
    }

    @Test
    void allowedClassesAdmitTheClassesTheyMatch() {
      cluster.close();
      cluster =
          TestCluster.of(
              2, ClusterOptions.DEFAULTS.withAllowedClasses("java.util.concurrent.atomic.*"));
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 1);

      Object reply = counter.call(r -> new Counter.Echo(new AtomicLong(3), r));

      assertThat(reply)
          .isInstanceOfSatisfying(AtomicLong.class, a -> assertThat(a.get()).isEqualTo(3L));
    }

    @Test
    void aReplyThatCannotBeSerializedFailsTheCallWithATypedError() {
      ServerRef<Counter.Message> counter = remote(counterOnFirstMember(), 1);

      assertThatThrownBy(() -> counter.<Object>call(Counter.Unserializable::new))
          .isInstanceOf(UnserializableMessageException.class)
          .hasMessageContaining("reply");
      assertThat(counter.call(Counter.Get::new)).isZero();
    }
  }

  private static GlobalPid global(ServerRef<?> ref) {
    return (GlobalPid) ref.address();
  }

  /* The same server, as member i addresses it. */
  private ServerRef<Counter.Message> remote(ServerRef<Counter.Message> ref, int i) {
    return ServerRef.of(cluster.cluster(i).bind(global(ref)));
  }
}

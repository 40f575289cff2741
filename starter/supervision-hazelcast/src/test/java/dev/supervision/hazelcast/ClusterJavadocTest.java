package dev.supervision.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import dev.supervision.core.process.Address;
import dev.supervision.core.process.Node;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/*
 * The cluster module's Javadoc examples (and core's RemoteAddress example), verbatim, run on two
 * members of Hazelcast's mock network: JavadocSnippetsTest requires each to be quoted here.
 * "node" and "cluster" are member 0; the value is read from member 1 where the example says "from
 * any member".
 */
final class ClusterJavadocTest {
  private TestCluster members;
  private Node node;
  private ClusterNode cluster;

  @BeforeEach
  void twoMembers() {
    members = TestCluster.of(2);
    node = members.node(0);
    cluster = members.cluster(0);
  }

  @AfterEach
  void close() {
    members.close();
  }

  @Test
  void remoteAddressACallThroughARemoteAddressIsAnsweredByTheOtherMember() {
    ServerRef<Counter.Message> started = GenServer.start(members.node(1), Counter::new);
    started.cast(new Counter.Add(4));
    Address remoteAddress = members.cluster(1).export(started.pid());

    ServerRef<Counter.Message> counter =
        ServerRef.of(remoteAddress); // a call goes over the network
    long value = counter.call(Counter.Get::new);

    assertThat(value).isEqualTo(4L);
  }

  @Test
  void clusterNameAServerStartedUnderAClusterNameIsCalledFromAnyMember() {
    GenServer.start(node, Counter::new, StartOptions.named(cluster.registry().via("counter")));
    // on any member:
    ServerRef<Counter.Message> counter = ServerRef.of(cluster.registry().via("counter"));
    long value = counter.call(Counter.Get::new);

    assertThat(value).isZero();
    ServerRef<Counter.Message> fromOther =
        ServerRef.of(members.cluster(1).registry().via("counter"));
    fromOther.cast(new Counter.Add(3));
    assertThat(fromOther.call(Counter.Get::new)).isEqualTo(3L);
  }

  @Test
  void clusterNodeAServerExportedWhileTheMemberIsJoinedKeepsRunningAfterItLeaves() {
    HazelcastInstance hazelcast = members.member(1);
    members.cluster(1).close();
    Node node = members.node(1);

    try (ClusterNode cluster = ClusterNode.join(node, hazelcast)) {
      ServerRef<Counter.Message> counter = cluster.export(GenServer.start(node, Counter::new));
      // counter may now be sent to, and called from, any member
    }

    assertThat(node.processCount()).as("the server outlives the cluster node").isEqualTo(1);
  }

  @Test
  void clusterOptionsHoldTheMinimumSizeAndTheAllowedClasses() {
    ClusterOptions options =
        ClusterOptions.DEFAULTS.withMinimumSize(2).withAllowedClasses("com.example.chat.**");

    assertThat(options.minimumSize()).isEqualTo(2);
    assertThat(options.allowedClasses()).contains("com.example.chat.**");
  }

  @Test
  void clusterRegistryAViaNameReachesTheServerFromAnyMember() {
    ClusterName name = cluster.registry().via("counter");
    GenServer.start(node, Counter::new, StartOptions.named(name));
    ServerRef<Counter.Message> counter = ServerRef.of(name); // from any member

    counter.cast(new Counter.Add(1));
    assertThat(counter.call(Counter.Get::new)).isEqualTo(1L);
    ServerRef<Counter.Message> fromOther =
        ServerRef.of(members.cluster(1).registry().via("counter"));
    assertThat(fromOther.call(Counter.Get::new)).isEqualTo(1L);
  }

  @Test
  void globalPidACounterIsCalledThroughItsGlobalPidFromAnotherMember() {
    ServerRef<Counter.Message> started = GenServer.start(node, Counter::new);
    started.cast(new Counter.Add(7));
    GlobalPid globalPid = cluster.export(started.pid());

    ServerRef<Counter.Message> counter = ServerRef.of(globalPid);
    long value = counter.call(Counter.Get::new); // from any member

    assertThat(value).isEqualTo(7L);
  }

  @Test
  void processGroupsADispatchReachesEveryMemberOfTheGroup() {
    ServerRef<Listener.Message> remote = GenServer.start(members.node(1), Listener::new);
    ServerRef<Listener.Message> listener = GenServer.start(node, Listener::new);
    members.cluster(1).groups().join("room:lobby", remote.pid());

    cluster.groups().join("room:lobby", listener.pid());
    cluster.groups().dispatch("room:lobby", new Listener.Posted("hello")); // to every member

    await()
        .atMost(TestCluster.WAIT)
        .untilAsserted(
            () -> {
              assertThat(remote.call(Listener.Received::new)).containsExactly("hello");
              assertThat(listener.call(Listener.Received::new)).containsExactly("hello");
            });
  }

  @Test
  void clusterSingletonTheInstanceOnTheOldestMemberIsReachedFromAnyMember() {
    ClusterSingleton<Counter.Message> leader =
        ClusterSingleton.start(cluster, "leader", Counter::new); // the same call on every member
    leader.ref().cast(new Counter.Add(1)); // from any member, to wherever it runs
    long value = leader.ref().call(Counter.Get::new);
    members.closeFirst(leader);
    ClusterSingleton<Counter.Message> onOther =
        members.closeFirst(ClusterSingleton.start(members.cluster(1), "leader", Counter::new));

    assertThat(value).isEqualTo(1L);
    assertThat(onOther.ref().<Long>call(Counter.Get::new)).isEqualTo(1L);
    assertThat(leader.localInstance()).isNotNull();
    assertThat(onOther.localInstance()).isNull();
  }

  @Test
  void remoteTasksATaskRunsOnTheOtherMemberAndItsValueComesBack() {
    members.closeFirst(RemoteTasks.start(members.cluster(1), "tasks"));
    UUID otherMember = members.cluster(1).member();

    RemoteTasks tasks = RemoteTasks.start(cluster, "tasks"); // the same call on every member
    int answer = tasks.run(otherMember, () -> 6 * 7, Duration.ofSeconds(5));
    members.closeFirst(tasks);

    assertThat(answer).isEqualTo(42);
  }

  @Test
  void serializableCallableALambdaTypedAsOneIsSerializableAndRunsOnAnotherMember() {
    members.closeFirst(RemoteTasks.start(members.cluster(1), "tasks"));
    RemoteTasks tasks = members.closeFirst(RemoteTasks.start(cluster, "tasks"));

    SerializableCallable<Integer> work = () -> 6 * 7; // a lambda typed as one is serializable

    assertThat(work).isInstanceOf(Serializable.class);
    assertThat(tasks.run(members.cluster(1).member(), work)).isEqualTo(42);
  }

  /* The Javadoc's listener: keeps what is posted to it. */
  static final class Listener implements Server<Listener.Message> {
    sealed interface Message extends Serializable {}

    record Posted(String text) implements Message {}

    record Received(ReplyTo<List<String>> replyTo) implements Message {}

    private final List<String> posted = new ArrayList<>();

    @Override
    public void handle(Message message) {
      switch (message) {
        case Posted(String text) -> posted.add(text);
        case Received(var replyTo) -> replyTo.reply(List.copyOf(posted));
      }
    }
  }
}

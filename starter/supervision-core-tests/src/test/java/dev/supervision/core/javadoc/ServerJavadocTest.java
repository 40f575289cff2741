package dev.supervision.core.javadoc;

import static dev.supervision.test.Exits.awaitExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.javadoc.Examples.Counter;
import dev.supervision.core.javadoc.Examples.Room;
import dev.supervision.core.javadoc.Examples.User;
import dev.supervision.core.javadoc.Examples.Users;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.DirectReply;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Info;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.test.SupervisionTest;
import dev.supervision.test.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * The Javadoc examples of the server package, each quoted verbatim after a "// Javadoc: Type"
 * comment that names its source (JavadocSnippetsTest checks that every one is quoted), run, with
 * what they claim asserted.
 */
@SupervisionTest
@SuppressWarnings("SameNameButDifferent") // each server nests its own Message (STYLE.md)
final class ServerJavadocTest {

  @Nested
  @SuppressWarnings("ClassCanBeStatic") // the example's Counter, as the Javadoc writes it
  final class ServerExample {

    // Javadoc: Server
    final class Counter implements Server<Counter.Message> {
      sealed interface Message {}

      record Increment(long by) implements Message {}

      record Get(ReplyTo<Long> replyTo) implements Message {}

      private long value;

      @Override
      public void handle(Message message) {
        switch (message) {
          case Increment(long by) -> value += by;
          case Get(var replyTo) -> replyTo.reply(value);
        }
      }
    }

    @Test
    void theCounterAddsItsIncrementsAndAnswersTheTotal(Node node) {
      // Javadoc: Server (its use)
      ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
      counter.cast(new Counter.Increment(2));
      long value = counter.call(Counter.Get::new);

      assertThat(value).isEqualTo(2);
      counter.stop();
    }
  }

  @Nested
  final class GenServerExample {

    @Test
    void aCastIsSeenByTheNextCall(Node node) {
      // Javadoc: GenServer
      ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
      counter.cast(new Counter.Increment(1)); // never blocks, never fails
      long value = counter.call(Counter.Get::new); // waits up to 5 s

      assertThat(value).isEqualTo(1);
      counter.stop();
    }
  }

  @Nested
  final class ServerRefExample {

    @Test
    void aRefFromAStartAndARefByNameReachTheirServers(Node node) {
      Registry<String, Object> rooms = Registry.unique(node, "rooms");
      ServerRef<Room.Message> started =
          GenServer.start(node, () -> new Room("lobby"), StartOptions.named(rooms.via("lobby")));

      // Javadoc: ServerRef
      ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
      counter.cast(new Counter.Increment(1)); // never blocks, never fails
      long value = counter.call(Counter.Get::new); // waits up to 5 s
      long again = counter.call(Counter.Get::new, Duration.ofMillis(100));
      ServerRef<Room.Message> lobby = ServerRef.of(rooms.via("lobby")); // by name

      assertThat(value).isEqualTo(1);
      assertThat(again).isEqualTo(1);
      assertThat(lobby.call(Room.GetTopic::new)).isEqualTo("welcome to lobby");
      assertThat(lobby.whereis()).isEqualTo(started.pid());
      counter.stop();
      lobby.stop();
    }

    @Test
    void aCallTakesTheMessagesConstructorOrALambdaAndAnswersWithTheReplysType(Node node) {
      ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
      ServerRef<Users.Message> users = GenServer.start(node, Users::new);

      // Javadoc: ServerRef.call
      long value = counter.call(Counter.Get::new);
      User user = users.call(replyTo -> new Users.Lookup("ada", replyTo), Duration.ofSeconds(1));

      assertThat(value).isZero();
      assertThat(user).isEqualTo(new User("ada"));
      counter.stop();
      users.stop();
    }
  }

  @Nested
  final class DirectReplyExample {

    @Test
    void aCallHandledOnTheTestsThreadIsAnsweredThroughTheDirectReply() {
      Counter counter = new Counter();
      counter.handle(new Counter.Increment(3));

      // Javadoc: DirectReply
      DirectReply<Long> reply = DirectReply.create();
      counter.handle(new Counter.Get(reply.replyTo()));
      long value = reply.value();

      assertThat(value).isEqualTo(3);
    }
  }

  /*
   * Batches items and hands each batch to `out` once no item came for a while; watches processes
   * (forgetting them when they exit) and stops with the reason of a linked process's exit.
   */
  static final class Batcher implements Server<Batcher.Message> {
    sealed interface Message {}

    record Add(String item) implements Message {}

    record Watch(Pid pid, ReplyTo<Boolean> replyTo) implements Message {}

    record Link(Pid pid, ReplyTo<Boolean> replyTo) implements Message {}

    record Watched(ReplyTo<Set<Pid>> replyTo) implements Message {}

    private final Pid out;
    private final Set<Pid> watched = new HashSet<>();
    private final List<String> batch = new ArrayList<>();
    private ServerContext<Message> context;

    Batcher(Pid out) {
      this.out = out;
    }

    @Override
    public void init(ServerContext<Message> context) {
      this.context = context;
      context.process().trapExits(true);
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Add(var item) -> {
          batch.add(item);
          context.timeoutAfter(Duration.ofMillis(20));
        }
        case Watch(var pid, var replyTo) -> {
          context.process().monitor(pid);
          watched.add(pid);
          replyTo.reply(true);
        }
        case Link(var pid, var replyTo) -> {
          context.process().link(pid);
          replyTo.reply(true);
        }
        case Watched(var replyTo) -> replyTo.reply(Set.copyOf(watched));
      }
    }

    private void flush() {
      out.send(List.copyOf(batch));
      batch.clear();
    }

    // Javadoc: Info
    @Override
    public void handleInfo(Info info) {
      switch (info) {
        case Info.Down(var ref, var pid, var reason) -> watched.remove(pid);
        case Info.Exit(var from, var reason) -> context.stop(reason);
        case Info.Timeout timeout -> flush();
        case Info.Message(var message) -> Info.logUnexpected(getClass(), info);
      }
    }
  }

  @Nested
  final class InfoExample {

    @Test
    void aDownNoticeForgetsTheProcessThatExited(Node node) {
      TestProbe out = TestProbe.spawn(node);
      ServerRef<Batcher.Message> batcher = GenServer.start(node, () -> new Batcher(out.pid()));
      Pid watchedProcess = node.spawn(self -> self.receive());
      boolean watching = batcher.call(r -> new Batcher.Watch(watchedProcess, r));
      assertThat(watching).isTrue();
      assertThat(batcher.call(Batcher.Watched::new)).containsExactly(watchedProcess);

      node.kill(watchedProcess);

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> batcher.call(Batcher.Watched::new).isEmpty());
      batcher.stop();
    }

    @Test
    void aTrappedExitStopsTheServerWithItsReason(Node node) {
      TestProbe out = TestProbe.spawn(node);
      ServerRef<Batcher.Message> batcher = GenServer.start(node, () -> new Batcher(out.pid()));
      Pid linked = node.spawn(self -> self.receive());
      boolean linking = batcher.call(r -> new Batcher.Link(linked, r));
      assertThat(linking).isTrue();

      node.exit(linked, ExitReason.shutdown());

      assertThat(awaitExit(batcher.pid())).isEqualTo(ExitReason.shutdown());
    }

    @Test
    void theCallbackTimeoutFlushesTheBatch(Node node) {
      TestProbe out = TestProbe.spawn(node);
      ServerRef<Batcher.Message> batcher = GenServer.start(node, () -> new Batcher(out.pid()));

      batcher.cast(new Batcher.Add("a"));
      batcher.cast(new Batcher.Add("b"));

      List<?> batch = out.expectMessage(List.class, Duration.ofSeconds(5));
      assertThat(batch).isEqualTo(List.of("a", "b"));
      batcher.stop();
    }

    @Test
    void aMessageOutsideTheProtocolIsLoggedAndTheServerKeepsRunning(Node node) {
      TestProbe out = TestProbe.spawn(node);
      ServerRef<Batcher.Message> batcher = GenServer.start(node, () -> new Batcher(out.pid()));

      batcher.pid().send("stray");

      assertThat(batcher.call(Batcher.Watched::new)).isEmpty();
      assertThat(batcher.pid().isAlive()).isTrue();
      batcher.stop();
    }
  }
}

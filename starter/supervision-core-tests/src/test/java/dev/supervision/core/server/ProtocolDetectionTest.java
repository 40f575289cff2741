package dev.supervision.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.process.Node;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/*
 * The runtime tells a server's protocol from its class (the M of the Server<M> it implements), to
 * send what is outside it to handleInfo; M may be bound further down a generic hierarchy.
 */
final class ProtocolDetectionTest {
  private final Node node = Node.create("protocol-test");

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  sealed interface Greeting {}

  record Hello(String name, ReplyTo<String> replyTo) implements Greeting {}

  record Wave(String name) implements Greeting {}

  /* Not a Greeting. */
  record Stray(String text) {}

  /* What a server saw: messages in handle, infos in handleInfo. */
  record Seen(List<Object> handled, List<Info> infos) {
    Seen() {
      this(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
    }
  }

  /* A generic base that records; the subclass binds its protocol. */
  abstract static class Recording<T> implements Server<T> {
    final Seen seen;

    Recording(Seen seen) {
      this.seen = seen;
    }

    @Override
    public void handleInfo(Info info) {
      seen.infos().add(info);
    }
  }

  static final class Greeter extends Recording<Greeting> {
    Greeter(Seen seen) {
      super(seen);
    }

    @Override
    public void handle(Greeting message) {
      seen.handled().add(message);
      switch (message) {
        case Hello(var name, var replyTo) -> replyTo.reply("hello " + name);
        case Wave(var name) -> {}
      }
    }
  }

  /* Two generic levels: the protocol is bound by the leaf through a class generic in two types. */
  abstract static class Middle<A, B> extends Recording<B> {
    Middle(Seen seen) {
      super(seen);
    }
  }

  static final class DeepGreeter extends Middle<String, Greeting> {
    DeepGreeter(Seen seen) {
      super(seen);
    }

    @Override
    public void handle(Greeting message) {
      seen.handled().add(message);
      switch (message) {
        case Hello(var name, var replyTo) -> replyTo.reply("hello " + name);
        case Wave(var name) -> {}
      }
    }
  }

  /* A generic interface over Server; the class binds its protocol. */
  interface Greets<T> extends Server<T> {}

  static final class InterfaceGreeter implements Greets<Greeting> {
    private final Seen seen;

    InterfaceGreeter(Seen seen) {
      this.seen = seen;
    }

    @Override
    public void handle(Greeting message) {
      seen.handled().add(message);
      switch (message) {
        case Hello(var name, var replyTo) -> replyTo.reply("hi " + name);
        case Wave(var name) -> {}
      }
    }

    @Override
    public void handleInfo(Info info) {
      seen.infos().add(info);
    }
  }

  /* Generic in its protocol: nothing binds it, so the runtime cannot tell what is foreign. */
  static final class Anything<T> extends Recording<T> {
    Anything(Seen seen) {
      super(seen);
    }

    @Override
    public void handle(T message) {
      seen.handled().add(message);
    }
  }

  /* Casts a Wave and a stray message, then calls with a Hello: all three have been handled. */
  private static String exercise(ServerRef<Greeting> server) {
    server.cast(new Wave("ada"));
    ServerRef.<Stray>of(server).cast(new Stray("not a greeting"));
    server.pid().send(new Stray("sent raw"));
    return server.call(replyTo -> new Hello("ada", replyTo));
  }

  @Test
  void aProtocolBoundByASubclassOfAGenericBaseClassIsTold() {
    Seen seen = new Seen();
    ServerRef<Greeting> greeter = GenServer.start(node, () -> new Greeter(seen));

    String answer = exercise(greeter);

    assertThat(answer).isEqualTo("hello ada");
    assertThat(seen.handled())
        .hasSize(2)
        .allMatch(Greeting.class::isInstance)
        .first()
        .isEqualTo(new Wave("ada"));
    assertThat(seen.infos())
        .containsExactly(
            new Info.Message(new Stray("not a greeting")), new Info.Message(new Stray("sent raw")));
    assertThat(greeter.pid().isAlive()).isTrue();
  }

  @Test
  void aProtocolBoundThroughTwoGenericLevelsIsTold() {
    Seen seen = new Seen();
    ServerRef<Greeting> greeter = GenServer.start(node, () -> new DeepGreeter(seen));

    assertThat(exercise(greeter)).isEqualTo("hello ada");
    assertThat(seen.handled()).hasSize(2).allMatch(Greeting.class::isInstance);
    assertThat(seen.infos()).hasSize(2);
    assertThat(greeter.pid().isAlive()).isTrue();
  }

  @Test
  void aProtocolBoundThroughAGenericInterfaceIsTold() {
    Seen seen = new Seen();
    ServerRef<Greeting> greeter = GenServer.start(node, () -> new InterfaceGreeter(seen));

    String answer = exercise(greeter);

    assertThat(answer).isEqualTo("hi ada");
    assertThat(seen.handled()).hasSize(2).allMatch(Greeting.class::isInstance);
    assertThat(seen.infos())
        .containsExactly(
            new Info.Message(new Stray("not a greeting")), new Info.Message(new Stray("sent raw")));
  }

  @Test
  void aServerGenericInItsProtocolTakesEveryCastInHandle() {
    Seen seen = new Seen();
    ServerRef<Object> anything = GenServer.start(node, () -> new Anything<Object>(seen));

    anything.cast(new Wave("ada"));
    anything.cast(new Stray("also mine"));
    anything.pid().send(new Stray("sent raw"));
    anything.cast(42);
    anything.stop(); // handled in order: once it has exited, all of the above has been handled

    assertThat(seen.handled()).containsExactly(new Wave("ada"), new Stray("also mine"), 42);
    assertThat(seen.infos()).containsExactly(new Info.Message(new Stray("sent raw")));
  }
}

package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.test.Exits;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/* A dynamic supervisor's extra arguments (Elixir's extra_arguments), handed to every child start. */
final class ExtraArgumentsTest {
  private final Node node = Node.create("extra");
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  /* What the supervisor hands its children: here, where they report and a prefix. */
  record Settings(List<String> log, String prefix) {}

  /* A server that answers with the prefix it was made with. */
  static final class Greeter implements Server<Greeter.Message> {
    sealed interface Message {}

    record Greet(String name, ReplyTo<String> replyTo) implements Message {}

    enum Crash implements Message {
      INSTANCE
    }

    private final String prefix;

    Greeter(Settings settings) {
      this.prefix = settings.prefix();
      settings.log().add("made with " + settings.prefix());
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Greet(String name, var replyTo) -> replyTo.reply(prefix + name);
        case Crash c -> throw new IllegalStateException("crash requested");
      }
    }
  }

  private static String greet(Pid greeter, String name) {
    return ServerRef.<Greeter.Message>of(greeter).call(r -> new Greeter.Greet(name, r));
  }

  private DynamicSupervisorRef start() {
    return DynamicSupervisor.start(
        node, DynamicSupervisorSpec.of("rooms").withExtraArguments(new Settings(log, "hello ")));
  }

  /* Elixir's DynamicSupervisorTest, start_child/2 "supports extra arguments". */
  @Test
  void everyChildStartGetsTheSupervisorsExtraArguments() {
    DynamicSupervisorRef sup = start();

    Pid a = sup.startChild(ChildSpec.server("room", Settings.class, Greeter::new));
    Pid b = sup.startChild(ChildSpec.server("room", Settings.class, Greeter::new));

    assertThat(log).containsExactly("made with hello ", "made with hello ");
    assertThat(greet(a, "ann")).isEqualTo("hello ann");
    assertThat(greet(b, "bob")).isEqualTo("hello bob");
  }

  /* Elixir passes extra_arguments again on each restart (the start MFA is rebuilt each time). */
  @Test
  void aRestartGetsTheExtraArgumentsAgain() {
    DynamicSupervisorRef sup = start();
    Pid first = sup.startChild(ChildSpec.server("room", Settings.class, Greeter::new));

    ServerRef.<Greeter.Message>of(first).cast(Greeter.Crash.INSTANCE);
    Exits.awaitExit(first);
    await()
        .atMost(Nodes.TIMEOUT)
        .until(() -> Trees.pids(sup).stream().anyMatch(p -> p != null && p != first));

    Pid second = Trees.pids(sup).get(0);
    assertThat(log).containsExactly("made with hello ", "made with hello ");
    assertThat(greet(second, "cy")).isEqualTo("hello cy");
  }

  @Test
  void aRawStartTakesTheArgumentsToo() {
    DynamicSupervisorRef sup = start();

    Pid pid =
        sup.startChild(
            ChildSpec.worker(
                "raw",
                Settings.class,
                settings -> {
                  settings.log().add("raw start");
                  return Worker.start("raw", settings.log(), false).start();
                }));

    assertThat(pid.isAlive()).isTrue();
    assertThat(log).containsExactly("raw start", "start raw");
  }

  @Test
  void childrenThatTakeNoArgumentsStartAsBefore() {
    DynamicSupervisorRef sup = start();

    Pid pid = sup.startChild(Worker.spec("plain", log));

    assertThat(pid.isAlive()).isTrue();
  }

  /* Elixir refuses an extra_arguments that is not a list ({invalid_extra_arguments, -1}). */
  @Test
  void argumentsOfAnotherTypeAreRefusedNamingBothTypes() {
    DynamicSupervisorRef sup =
        DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d").withExtraArguments("text"));

    assertThatThrownBy(() -> sup.startChild(ChildSpec.server("room", Settings.class, Greeter::new)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining(Settings.class.getName())
        .hasMessageContaining("java.lang.String");
    assertThat(sup.whichChildren()).isEmpty();
  }

  @Test
  void aSupervisorWithoutExtraArgumentsRefusesAChildThatTakesThem() {
    DynamicSupervisorRef sup = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d"));

    assertThatThrownBy(() -> sup.startChild(ChildSpec.server("room", Settings.class, Greeter::new)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("withExtraArguments");
  }

  @Test
  void aStaticSupervisorRefusesAChildThatTakesExtraArguments() {
    ChildSpec room = ChildSpec.server("room", Settings.class, Greeter::new);
    SupervisorRef sup = Supervisor.start(node, SupervisorSpec.of("s", Strategy.ONE_FOR_ONE));

    assertThatThrownBy(() -> sup.startChild(room))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("only a dynamic supervisor gives");
    assertThatThrownBy(
            () ->
                Supervisor.start(
                    node, SupervisorSpec.of("t", Strategy.ONE_FOR_ONE).withChildren(room)))
        .isInstanceOf(InvalidSpecException.class);
    assertThat(sup.whichChildren()).isEmpty();
  }

  @Test
  void extraArgumentsMustNotBeNull() {
    assertThatThrownBy(() -> DynamicSupervisorSpec.of("d").withExtraArguments(nullValue()))
        .isInstanceOf(NullPointerException.class);
  }

  private static Object nullValue() {
    return null;
  }
}

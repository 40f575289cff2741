package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/* A supervision tree declared flat (supervisors by parent name), validated as a whole. */
final class TreeSpecTest {
  private final Node node = Node.create("tree-spec", new ManualTicker());
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private static TreeSpec.Builder tree() {
    return TreeSpec.builder(SupervisorSpec.of("root", Strategy.ONE_FOR_ONE));
  }

  private static SupervisorSpec staticSpec(String name) {
    return SupervisorSpec.of(name, Strategy.ONE_FOR_ONE);
  }

  private static SupervisorSpec autoShutdown(String name) {
    return staticSpec(name).withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT);
  }

  private ChildSpec job() {
    return Worker.trapping("job", log).withRestart(Restart.TRANSIENT).withSignificant(true);
  }

  /* Asserts that `build` fails with an InvalidSpecException that points at subject.component. */
  private static void refused(
      ThrowingCallable build, String subject, String component, String... messageParts) {
    assertThatExceptionOfType(InvalidSpecException.class)
        .isThrownBy(build)
        .withMessageContainingAll(messageParts)
        .satisfies(
            e -> {
              assertThat(e.subject()).isEqualTo(subject);
              assertThat(e.component()).isEqualTo(component);
            });
  }

  @Nested
  final class Names {

    @Test
    void aSupervisorWithTheRootsNameIsRefused() {
      refused(
          () -> tree().supervisor("root", staticSpec("root")).build(),
          "root",
          "name",
          "supervisor 'root' has the root supervisor's name; give one of them another name");
    }

    @Test
    void aSupervisorDeclaredTwiceIsRefused() {
      refused(
          () ->
              tree()
                  .supervisor("root", staticSpec("chat"))
                  .supervisor("root", DynamicSupervisorSpec.of("chat"))
                  .build(),
          "chat",
          "name",
          "supervisor 'chat' is declared twice");
    }

    @Test
    void twoChildrenWithOneIdUnderAStaticSupervisorAreRefused() {
      refused(
          () ->
              tree()
                  .supervisor("root", staticSpec("workers"))
                  .child("workers", Worker.spec("first", log))
                  .child("workers", Worker.spec("first", log))
                  .build(),
          "workers",
          "children",
          "supervisor 'workers' has two children with id 'first'; give one of them another id");
    }

    @Test
    void aChildWithTheIdOfASupervisorBesideItIsRefused() {
      refused(
          () ->
              tree()
                  .supervisor("root", staticSpec("rooms"))
                  .child("root", Worker.spec("rooms", log))
                  .build(),
          "root",
          "children",
          "supervisor 'root' has two children with id 'rooms'");
    }

    @Test
    void childrenOfADynamicSupervisorMayShareAnId() {
      TreeSpec spec =
          tree()
              .supervisor("root", DynamicSupervisorSpec.of("rooms"))
              .child("rooms", Worker.spec("room", log))
              .child("rooms", Worker.spec("room", log))
              .build();

      SupervisorRef root = Supervisor.start(node, spec.toSupervisorSpec());

      DynamicSupervisorRef rooms = DynamicSupervisorRef.of(Trees.pidOf(root, "rooms"));
      assertThat(rooms.countChildren().active()).isEqualTo(2);
    }
  }

  @Nested
  final class Parents {

    @Test
    void anUnknownParentIsRefusedListingTheSupervisors() {
      refused(
          () ->
              tree()
                  .supervisor("nowhere", staticSpec("workers"))
                  .supervisor("root", staticSpec("other"))
                  .build(),
          "workers",
          "parent",
          "supervisor 'workers' has parent 'nowhere', which is not a supervisor of the tree;"
              + " use one of root, other");
    }

    @Test
    void aCycleOfParentsIsRefusedShowingTheCycleFromItsFirstDeclaredMember() {
      refused(
          () ->
              tree()
                  .supervisor("root", staticSpec("outside"))
                  .supervisor("b", staticSpec("a"))
                  .supervisor("a", staticSpec("b"))
                  .build(),
          "a",
          "parent",
          "supervisors form a cycle of parents: a -> b -> a; give one of them the root 'root'");
    }

    @Test
    void aSupervisorThatIsItsOwnParentIsACycle() {
      refused(
          () -> tree().supervisor("a", staticSpec("a")).build(),
          "a",
          "parent",
          "cycle of parents: a -> a");
    }

    @Test
    void aSupervisorLeadingIntoACycleIsNotBlamedForIt() {
      refused(
          () ->
              tree()
                  .supervisor("a", staticSpec("tail"))
                  .supervisor("b", staticSpec("a"))
                  .supervisor("a", staticSpec("b"))
                  .build(),
          "a",
          "parent",
          "a -> b -> a");
    }

    @Test
    void aChildAddedToAnUnknownSupervisorIsRefused() {
      refused(
          () ->
              tree()
                  .supervisor("root", staticSpec("workers"))
                  .child("nowhere", Worker.spec("orphan", log))
                  .build(),
          "orphan",
          "supervisor",
          "child 'orphan' is added to supervisor 'nowhere', which is not a supervisor of the tree;"
              + " use one of root, workers");
    }

    @Test
    void parentsMayBeDeclaredAfterTheirChildren() {
      TreeSpec spec =
          tree()
              .child("chat", Worker.spec("history", log))
              .supervisor("chat", DynamicSupervisorSpec.of("rooms"))
              .supervisor("root", staticSpec("chat"))
              .build();

      assertThat(spec.supervisors()).containsExactly("root", "rooms", "chat");
      assertThat(spec.parentOf("rooms")).isEqualTo("chat");
      assertThat(spec.parentOf("chat")).isEqualTo("root");
      assertThat(spec.parentOf("root")).isNull();
      assertThat(spec.isDynamic("rooms")).isTrue();
      assertThat(spec.isDynamic("chat")).isFalse();
      assertThat(spec.isDynamic("root")).isFalse();
    }
  }

  @Nested
  final class Significance {

    @Test
    void asChildOfAnUndeclaredSupervisorIsRefused() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> tree().asChild("batch", Restart.TRANSIENT, true))
          .withMessageContaining("supervisor 'batch' has not been declared");
    }

    @Test
    void aSignificantSupervisorMustNotBePermanent() {
      refused(
          () ->
              tree()
                  .supervisor("root", autoShutdown("batch"))
                  .supervisor("batch", staticSpec("step"))
                  .asChild("step", Restart.PERMANENT, true)
                  .build(),
          "step",
          "restart",
          "'step' is significant and permanent; a significant child must be transient or"
              + " temporary");
    }

    @Test
    void aSignificantSupervisorUnderTheRootWithoutAutoShutdownIsRefused() {
      refused(
          () ->
              tree()
                  .supervisor("root", autoShutdown("batch"))
                  .asChild("batch", Restart.TRANSIENT, true)
                  .build(),
          "batch",
          "significant",
          "supervisor 'root' has auto-shutdown NEVER but child 'batch' is significant; give the"
              + " supervisor ANY_SIGNIFICANT or ALL_SIGNIFICANT");
    }

    @Test
    void aSignificantChildUnderASupervisorWithoutAutoShutdownIsRefused() {
      refused(
          () -> tree().supervisor("root", staticSpec("batch")).child("batch", job()).build(),
          "job",
          "significant",
          "supervisor 'batch' has auto-shutdown NEVER but child 'job' is significant");
    }

    @Test
    void aSignificantChildUnderADynamicSupervisorIsRefused() {
      refused(
          () ->
              tree()
                  .supervisor("root", DynamicSupervisorSpec.of("rooms"))
                  .child("rooms", job())
                  .build(),
          "job",
          "significant",
          "child spec 'job' is significant, but dynamic supervisor 'rooms' has no auto-shutdown;"
              + " make the child not significant");
    }

    @Test
    void aSignificantSupervisorUnderADynamicSupervisorIsRefused() {
      refused(
          () ->
              tree()
                  .supervisor("root", DynamicSupervisorSpec.of("rooms"))
                  .supervisor("rooms", staticSpec("room"))
                  .asChild("room", Restart.TEMPORARY, true)
                  .build(),
          "room",
          "significant",
          "dynamic supervisor 'rooms' has no auto-shutdown");
    }

    @Test
    void aSignificantChildUnderAnAutoShutdownSupervisorBuilds() {
      TreeSpec spec =
          tree().supervisor("root", autoShutdown("batch")).child("batch", job()).build();

      assertThat(spec.supervisors()).containsExactly("root", "batch");
    }

    @Test
    void aTransientSupervisorWithAnAutoShutdownEndsWithItsSignificantJobAndStaysDown() {
      TreeSpec spec =
          tree()
              .supervisor("root", autoShutdown("batch"))
              .asChild("batch", Restart.TRANSIENT, false)
              .child("batch", job())
              .child("batch", Worker.trapping("helper", log))
              .build();
      SupervisorRef root = Supervisor.start(node, spec.toSupervisorSpec());
      Pid batch = Trees.pidOf(root, "batch");

      Worker.end(Trees.pidOf(SupervisorRef.of(batch), "job"), ExitReason.normal());

      assertThat(Exits.awaitExit(batch)).isEqualTo(ExitReason.shutdown());
      assertThat(log).endsWith("terminate job normal", "terminate helper shutdown");
      // The root learns of the exit from its link, which may come after the exit is observable.
      await().atMost(Duration.ofSeconds(5)).until(() -> Trees.info(root, "batch").pid() == null);
      ChildInfo info = Trees.info(root, "batch");
      assertThat(info.pid()).isNull();
      assertThat(info.restarts()).isZero();
      assertThat(root.whereis()).isNotNull();
    }
  }

  @Nested
  final class Start {

    @Test
    void startsEachSupervisorsOwnChildrenThenItsSupervisorsThenTheAddedChildren() {
      TreeSpec spec =
          tree()
              .child("root", Worker.spec("root-worker", log))
              .supervisor(
                  "root",
                  SupervisorSpec.of("chat", Strategy.REST_FOR_ONE)
                      .withChildren(Worker.spec("own", log)))
              .child("chat", Worker.spec("history", log))
              .supervisor("chat", DynamicSupervisorSpec.of("rooms"))
              .child("rooms", Worker.spec("lobby", log))
              .supervisor("root", staticSpec("jobs"))
              .build();

      SupervisorRef root = Supervisor.start(node, spec.toSupervisorSpec());

      assertThat(Trees.ids(root)).containsExactly("chat", "jobs", "root-worker");
      SupervisorRef chat = Trees.supervisorOf(root, "chat");
      assertThat(Trees.ids(chat)).containsExactly("own", "rooms", "history");
      assertThat(chat.inspect(Duration.ofSeconds(5)).strategy()).isEqualTo(Strategy.REST_FOR_ONE);
      assertThat(Trees.info(root, "chat").type()).isEqualTo(ChildType.SUPERVISOR);
      assertThat(Trees.info(root, "chat").shutdown()).isEqualTo(Shutdown.infinity());
      assertThat(log)
          .containsExactly("start own", "start lobby", "start history", "start root-worker");
    }

    @Test
    void tellsTheListenerOfEverySupervisorStartAlsoAfterARestart() {
      Map<String, Pid> started = new ConcurrentHashMap<>();
      TreeSpec spec =
          tree()
              .supervisor("root", staticSpec("chat"))
              .supervisor("chat", DynamicSupervisorSpec.of("rooms"))
              .build();
      SupervisorRef root = Supervisor.start(node, spec.toSupervisorSpec(started::put));
      SupervisorRef chat = Trees.supervisorOf(root, "chat");
      assertThat(started).containsOnlyKeys("chat", "rooms");
      assertThat(started.get("chat")).isEqualTo(chat.pid());
      assertThat(started.get("rooms")).isEqualTo(Trees.pidOf(chat, "rooms"));

      Pid before = started.get("rooms");
      node.kill(before);

      await().atMost(Nodes.TIMEOUT).until(() -> !started.get("rooms").equals(before));
      assertThat(started.get("rooms")).isEqualTo(Trees.pidOf(chat, "rooms"));
      assertThat(started.get("rooms").isAlive()).isTrue();
    }

    @Test
    void aDynamicSupervisorStartsItsChildrenAgainEveryTimeItStarts() {
      TreeSpec spec =
          tree()
              .supervisor("root", DynamicSupervisorSpec.of("rooms").withMaxChildren(5))
              .child("rooms", Worker.spec("lobby", log))
              .build();
      SupervisorRef root = Supervisor.start(node, spec.toSupervisorSpec());
      Pid before = Trees.pidOf(root, "rooms");
      assertThat(DynamicSupervisorRef.of(before).countChildren().active()).isEqualTo(1);

      node.kill(before);

      await()
          .atMost(Nodes.TIMEOUT)
          .until(() -> Trees.pidOf(root, "rooms") != null && Trees.pidOf(root, "rooms") != before);
      DynamicSupervisorRef rooms = DynamicSupervisorRef.of(Trees.pidOf(root, "rooms"));
      assertThat(rooms.countChildren().active()).isEqualTo(1);
      assertThat(log).containsExactly("start lobby", "start lobby");
    }

    @Test
    void aDynamicSupervisorLeavesOutAChildWhoseStartIsIgnored() {
      TreeSpec spec =
          tree()
              .supervisor("root", DynamicSupervisorSpec.of("rooms"))
              .child("rooms", ChildSpec.server("closed", Ignoring::new))
              .child("rooms", Worker.spec("lobby", log))
              .build();

      SupervisorRef root = Supervisor.start(node, spec.toSupervisorSpec());

      DynamicSupervisorRef rooms = DynamicSupervisorRef.of(Trees.pidOf(root, "rooms"));
      assertThat(Trees.ids(rooms)).containsExactly("lobby");
    }
  }

  /* A server whose init answers ignore. */
  private static final class Ignoring implements Server<Void> {
    @Override
    public void init(ServerContext<Void> context) {
      context.ignore();
    }

    @Override
    public void handle(Void message) {}
  }
}

package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartIgnoredException;
import dev.supervision.test.ManualTicker;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/* Children whose start ends in ignore (OTP's `ignore`): what each kind of supervisor keeps. */
final class SupervisorIgnoreTest {
  private final Node node = Node.create("ignore", new ManualTicker());
  private final EventRecorder events = EventRecorder.on(node);

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  /* A server whose init answers ignore while `ignoring` is set; a Crash cast makes it throw. */
  private static final class Ignorer implements Server<Ignorer.Message> {
    sealed interface Message {}

    enum Crash implements Message {
      INSTANCE
    }

    private final AtomicBoolean ignoring;

    Ignorer(AtomicBoolean ignoring) {
      this.ignoring = ignoring;
    }

    @Override
    public void init(ServerContext<Message> context) {
      if (ignoring.get()) {
        context.ignore();
      }
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Crash c -> throw new IllegalStateException("crash on request");
      }
    }
  }

  private static ChildSpec ignorer(String id, Restart restart, AtomicBoolean ignoring) {
    return ChildSpec.server(id, () -> new Ignorer(ignoring)).withRestart(restart);
  }

  private static AtomicBoolean ignoring() {
    return new AtomicBoolean(true);
  }

  private static AtomicBoolean starting() {
    return new AtomicBoolean(false);
  }

  private void crashAndAwaitHandled(Pid child) {
    ServerRef.<Ignorer.Message>of(child).cast(Ignorer.Crash.INSTANCE);
    events.awaitExit(child);
  }

  @Nested
  final class StaticSupervisor {

    private SupervisorRef start(Strategy strategy, ChildSpec... children) {
      return Supervisor.start(node, SupervisorSpec.of("s", strategy).withChildren(children));
    }

    @Test
    void atStartAPermanentChildThatIgnoresIsKeptNotRunningATemporaryOneDroppedAndTheRestStart() {
      SupervisorRef sup =
          start(
              Strategy.ONE_FOR_ONE,
              ignorer("a", Restart.PERMANENT, starting()),
              ignorer("b", Restart.PERMANENT, ignoring()),
              ignorer("c", Restart.TEMPORARY, ignoring()),
              ignorer("d", Restart.TRANSIENT, starting()));

      assertThat(Trees.ids(sup)).containsExactly("a", "b", "d");
      ChildInfo b = Trees.info(sup, "b");
      assertThat(b.state()).isEqualTo(ChildState.STOPPED);
      assertThat(b.pid()).isNull();
      assertThat(Trees.info(sup, "a").state()).isEqualTo(ChildState.RUNNING);
      assertThat(Trees.info(sup, "d").state()).isEqualTo(ChildState.RUNNING);
      assertThat(sup.countChildren()).isEqualTo(new ChildCounts(3, 2, 0, 3));
      assertThat(events.events(SupervisionEvent.ChildIgnored.class))
          .extracting(SupervisionEvent.ChildIgnored::child, SupervisionEvent.ChildIgnored::kept)
          .containsExactly(tuple("b", true), tuple("c", false));
    }

    @Test
    void startChildThatIgnoresThrowsStartIgnoredAndKeepsThePermanentSpecForRestartChild() {
      SupervisorRef sup = start(Strategy.ONE_FOR_ONE);
      AtomicBoolean ignoring = ignoring();
      ChildSpec b = ignorer("b", Restart.PERMANENT, ignoring);

      assertThatThrownBy(() -> sup.startChild(b))
          .isInstanceOf(StartIgnoredException.class)
          .hasMessageContaining("'b'");

      assertThat(Trees.info(sup, "b").state()).isEqualTo(ChildState.STOPPED);
      assertThatThrownBy(() -> sup.startChild(b)).isInstanceOf(ChildException.AlreadyPresent.class);
      ignoring.set(false);
      Pid pid = sup.restartChild("b");
      assertThat(Trees.pidOf(sup, "b")).isSameAs(pid);
      assertThat(node.links(pid)).containsExactly(sup.pid());
    }

    @Test
    void startChildOfATemporaryChildThatIgnoresKeepsNothing() {
      SupervisorRef sup = start(Strategy.ONE_FOR_ONE);
      AtomicBoolean ignoring = ignoring();

      assertThatThrownBy(() -> sup.startChild(ignorer("t", Restart.TEMPORARY, ignoring)))
          .isInstanceOf(StartIgnoredException.class);

      assertThat(Trees.ids(sup)).isEmpty();
      ignoring.set(false);
      Pid pid = sup.startChild(ignorer("t", Restart.TEMPORARY, ignoring));
      assertThat(Trees.pidOf(sup, "t")).isSameAs(pid);
    }

    @Test
    void restartChildThatIgnoresThrowsStartIgnoredAndTheChildStaysStopped() {
      AtomicBoolean ignoring = starting();
      SupervisorRef sup = start(Strategy.ONE_FOR_ONE, ignorer("a", Restart.PERMANENT, ignoring));
      sup.terminateChild("a");
      ignoring.set(true);

      assertThatThrownBy(() -> sup.restartChild("a")).isInstanceOf(StartIgnoredException.class);

      ChildInfo a = Trees.info(sup, "a");
      assertThat(a.state()).isEqualTo(ChildState.STOPPED);
      assertThat(a.pid()).isNull();
      sup.deleteChild("a");
      assertThat(Trees.ids(sup)).isEmpty();
    }

    @Test
    void anAutomaticRestartThatIgnoresLeavesThePermanentChildStoppedAndTheSupervisorRunning() {
      AtomicBoolean ignoring = starting();
      SupervisorRef sup = start(Strategy.ONE_FOR_ONE, ignorer("a", Restart.PERMANENT, ignoring));
      Pid first = Objects.requireNonNull(Trees.pidOf(sup, "a"));
      ignoring.set(true);

      crashAndAwaitHandled(first);

      ChildInfo a = Trees.info(sup, "a");
      assertThat(a.state()).isEqualTo(ChildState.STOPPED);
      assertThat(a.pid()).isNull();
      assertThat(sup.pid().isAlive()).isTrue();
      assertThat(
              events.await(SupervisionEvent.ChildIgnored.class, e -> e.child().equals("a")).kept())
          .isTrue();
      ignoring.set(false);
      assertThat(sup.restartChild("a").isAlive()).isTrue();
    }

    @Test
    void aOneForAllRestartInWhichASiblingIgnoresStartsTheOthersAndKeepsTheSiblingStopped() {
      AtomicBoolean bIgnores = starting();
      SupervisorRef sup =
          start(
              Strategy.ONE_FOR_ALL,
              ignorer("a", Restart.PERMANENT, starting()),
              ignorer("b", Restart.PERMANENT, bIgnores),
              ignorer("c", Restart.PERMANENT, starting()));
      List<Pid> before = List.copyOf(Objects.requireNonNull(Trees.pids(sup)));
      bIgnores.set(true);

      crashAndAwaitHandled(before.get(0));

      List<ChildInfo> after = sup.whichChildren();
      assertThat(after)
          .extracting(ChildInfo::state)
          .containsExactly(ChildState.RUNNING, ChildState.STOPPED, ChildState.RUNNING);
      assertThat(after.get(0).pid()).isNotIn(before).isNotNull();
      assertThat(after.get(1).pid()).isNull();
      assertThat(after.get(2).pid()).isNotIn(before).isNotNull();
      assertThat(before).noneMatch(Pid::isAlive);
    }
  }

  @Nested
  final class Dynamic {

    @Test
    void startChildThatIgnoresThrowsStartIgnoredAndKeepsNothing() {
      DynamicSupervisorRef sup =
          DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d").withMaxChildren(1));

      assertThatThrownBy(() -> sup.startChild(ignorer("w", Restart.PERMANENT, ignoring())))
          .isInstanceOf(StartIgnoredException.class);

      assertThat(sup.countChildren()).isEqualTo(new ChildCounts(0, 0, 0, 0));
      assertThat(events.await(SupervisionEvent.ChildIgnored.class, e -> true).kept()).isFalse();
      // the ignored start took no place: the one allowed child still fits
      Pid pid = sup.startChild(ignorer("w", Restart.PERMANENT, starting()));
      assertThat(pid.isAlive()).isTrue();
    }

    @Test
    void anAutomaticRestartThatIgnoresRemovesTheChild() {
      DynamicSupervisorRef sup = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d"));
      AtomicBoolean ignoring = starting();
      Pid child = sup.startChild(ignorer("w", Restart.PERMANENT, ignoring));
      ignoring.set(true);

      crashAndAwaitHandled(child);

      assertThat(sup.whichChildren()).isEmpty();
      assertThatThrownBy(() -> sup.terminateChild(child))
          .isInstanceOf(ChildException.NotFound.class);
      assertThat(events.await(SupervisionEvent.ChildIgnored.class, e -> true).kept()).isFalse();
      assertThat(sup.pid().isAlive()).isTrue();
    }
  }
}

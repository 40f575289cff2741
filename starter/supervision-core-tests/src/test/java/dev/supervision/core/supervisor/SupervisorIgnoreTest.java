package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.StartIgnoredException;
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
    Exits.closeAndCheckNoProcessLeft(node);
  }

  /* A server whose init answers ignore while `ignoring` is set; a "crash" cast makes it throw. */
  private static final class Ignorer implements Server {
    private final AtomicBoolean ignoring;

    Ignorer(AtomicBoolean ignoring) {
      this.ignoring = ignoring;
    }

    @Override
    public void init(ServerContext context) {
      if (ignoring.get()) {
        context.ignore();
      }
    }

    @Override
    public void handleCast(Object message) {
      throw new IllegalStateException("crash on request");
    }
  }

  private static ChildSpec ignorer(String id, Restart restart, AtomicBoolean ignoring) {
    return ChildSpec.worker(id, () -> GenServer.startLink(() -> new Ignorer(ignoring)))
        .withRestart(restart);
  }

  private static AtomicBoolean ignoring() {
    return new AtomicBoolean(true);
  }

  private static AtomicBoolean starting() {
    return new AtomicBoolean(false);
  }

  private void crashAndAwaitHandled(Pid child) {
    GenServer.cast(child, "crash");
    events.awaitExit(child);
  }

  @Nested
  final class StaticSupervisor {

    private Pid start(Strategy strategy, ChildSpec... children) {
      return Supervisor.start(node, SupervisorSpec.of("s", strategy).withChildren(children));
    }

    @Test
    void atStartAPermanentChildThatIgnoresIsKeptNotRunningATemporaryOneDroppedAndTheRestStart() {
      Pid sup =
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
      assertThat(Supervisor.countChildren(sup)).isEqualTo(new ChildCounts(3, 2, 0, 3));
      assertThat(events.events(SupervisionEvent.ChildIgnored.class))
          .extracting(SupervisionEvent.ChildIgnored::child, SupervisionEvent.ChildIgnored::kept)
          .containsExactly(tuple("b", true), tuple("c", false));
    }

    @Test
    void startChildThatIgnoresThrowsStartIgnoredAndKeepsThePermanentSpecForRestartChild() {
      Pid sup = start(Strategy.ONE_FOR_ONE);
      AtomicBoolean ignoring = ignoring();
      ChildSpec b = ignorer("b", Restart.PERMANENT, ignoring);

      assertThatThrownBy(() -> Supervisor.startChild(sup, b))
          .isInstanceOf(StartIgnoredException.class)
          .hasMessageContaining("'b'");

      assertThat(Trees.info(sup, "b").state()).isEqualTo(ChildState.STOPPED);
      assertThatThrownBy(() -> Supervisor.startChild(sup, b))
          .isInstanceOf(ChildException.AlreadyPresent.class);
      ignoring.set(false);
      Pid pid = Supervisor.restartChild(sup, "b");
      assertThat(Trees.pidOf(sup, "b")).isSameAs(pid);
      assertThat(node.links(pid)).containsExactly(sup);
    }

    @Test
    void startChildOfATemporaryChildThatIgnoresKeepsNothing() {
      Pid sup = start(Strategy.ONE_FOR_ONE);
      AtomicBoolean ignoring = ignoring();

      assertThatThrownBy(
              () -> Supervisor.startChild(sup, ignorer("t", Restart.TEMPORARY, ignoring)))
          .isInstanceOf(StartIgnoredException.class);

      assertThat(Trees.ids(sup)).isEmpty();
      ignoring.set(false);
      Pid pid = Supervisor.startChild(sup, ignorer("t", Restart.TEMPORARY, ignoring));
      assertThat(Trees.pidOf(sup, "t")).isSameAs(pid);
    }

    @Test
    void restartChildThatIgnoresThrowsStartIgnoredAndTheChildStaysStopped() {
      AtomicBoolean ignoring = starting();
      Pid sup = start(Strategy.ONE_FOR_ONE, ignorer("a", Restart.PERMANENT, ignoring));
      Supervisor.terminateChild(sup, "a");
      ignoring.set(true);

      assertThatThrownBy(() -> Supervisor.restartChild(sup, "a"))
          .isInstanceOf(StartIgnoredException.class);

      ChildInfo a = Trees.info(sup, "a");
      assertThat(a.state()).isEqualTo(ChildState.STOPPED);
      assertThat(a.pid()).isNull();
      Supervisor.deleteChild(sup, "a");
      assertThat(Trees.ids(sup)).isEmpty();
    }

    @Test
    void anAutomaticRestartThatIgnoresLeavesThePermanentChildStoppedAndTheSupervisorRunning() {
      AtomicBoolean ignoring = starting();
      Pid sup = start(Strategy.ONE_FOR_ONE, ignorer("a", Restart.PERMANENT, ignoring));
      Pid first = Objects.requireNonNull(Trees.pidOf(sup, "a"));
      ignoring.set(true);

      crashAndAwaitHandled(first);

      ChildInfo a = Trees.info(sup, "a");
      assertThat(a.state()).isEqualTo(ChildState.STOPPED);
      assertThat(a.pid()).isNull();
      assertThat(sup.isAlive()).isTrue();
      assertThat(
              events.await(SupervisionEvent.ChildIgnored.class, e -> e.child().equals("a")).kept())
          .isTrue();
      ignoring.set(false);
      assertThat(Supervisor.restartChild(sup, "a").isAlive()).isTrue();
    }

    @Test
    void aOneForAllRestartInWhichASiblingIgnoresStartsTheOthersAndKeepsTheSiblingStopped() {
      AtomicBoolean bIgnores = starting();
      Pid sup =
          start(
              Strategy.ONE_FOR_ALL,
              ignorer("a", Restart.PERMANENT, starting()),
              ignorer("b", Restart.PERMANENT, bIgnores),
              ignorer("c", Restart.PERMANENT, starting()));
      List<Pid> before = List.copyOf(Objects.requireNonNull(Trees.pids(sup)));
      bIgnores.set(true);

      crashAndAwaitHandled(before.get(0));

      List<ChildInfo> after = Supervisor.whichChildren(sup);
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
      Pid sup = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d").withMaxChildren(1));

      assertThatThrownBy(
              () -> DynamicSupervisor.startChild(sup, ignorer("w", Restart.PERMANENT, ignoring())))
          .isInstanceOf(StartIgnoredException.class);

      assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
      assertThat(events.await(SupervisionEvent.ChildIgnored.class, e -> true).kept()).isFalse();
      // the ignored start took no place: the one allowed child still fits
      Pid pid = DynamicSupervisor.startChild(sup, ignorer("w", Restart.PERMANENT, starting()));
      assertThat(pid.isAlive()).isTrue();
    }

    @Test
    void anAutomaticRestartThatIgnoresRemovesTheChild() {
      Pid sup = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d"));
      AtomicBoolean ignoring = starting();
      Pid child = DynamicSupervisor.startChild(sup, ignorer("w", Restart.PERMANENT, ignoring));
      ignoring.set(true);

      crashAndAwaitHandled(child);

      assertThat(DynamicSupervisor.whichChildren(sup)).isEmpty();
      assertThatThrownBy(() -> DynamicSupervisor.terminateChild(sup, child))
          .isInstanceOf(ChildException.NotFound.class);
      assertThat(events.await(SupervisionEvent.ChildIgnored.class, e -> true).kept()).isFalse();
      assertThat(sup.isAlive()).isTrue();
    }
  }
}

package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/* One child by id (static) or by pid (dynamic): OTP's which_child/2 and get_childspec/2. */
final class ChildLookupTest {
  private final ManualTicker ticker = new ManualTicker();
  private final Node node = Node.create("lookup", ticker);
  private final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private SupervisorRef start(ChildSpec... children) {
    return Supervisor.start(
        node, SupervisorSpec.of("s", Strategy.ONE_FOR_ONE).withChildren(children));
  }

  @Nested
  final class WhichChild {

    /* Elixir's Supervisor.which_children/1 filtered by id; OTP 28's which_child/2. */
    @Test
    void givesTheChildAsWhichChildrenListsIt() {
      SupervisorRef sup = start(Worker.spec("a", log), Worker.spec("b", log));

      ChildInfo b = sup.whichChild("b").orElseThrow();

      assertThat(b).isEqualTo(Trees.info(sup, "b"));
      assertThat(b.pid()).isNotNull();
      assertThat(b.state()).isEqualTo(ChildState.RUNNING);
    }

    @Test
    void anUnknownIdGivesNothing() {
      SupervisorRef sup = start(Worker.spec("a", log));

      assertThat(sup.whichChild("nope")).isEmpty();
    }

    /* supervisor_SUITE child_adm: a terminated child is listed with no pid (undefined). */
    @Test
    void aStoppedChildIsListedWithoutAPid() {
      SupervisorRef sup = start(Worker.spec("a", log));
      sup.terminateChild("a");

      ChildInfo a = sup.whichChild("a").orElseThrow();

      assertThat(a.pid()).isNull();
      assertThat(a.state()).isEqualTo(ChildState.STOPPED);
    }

    @Test
    void aChildBackingOffShowsItsDelay() {
      SupervisorRef sup =
          start(
              Worker.spec("a", log)
                  .withBackoff(
                      new Backoff(
                          Duration.ofSeconds(2), Duration.ofSeconds(2), 1.0, 0.0, Duration.ZERO)));
      Pid a = sup.whichChild("a").orElseThrow().runningPid().orElseThrow();
      Worker.end(a, ExitReason.crashed(new IllegalStateException("boom")));
      Exits.awaitExit(a);

      await()
          .atMost(Nodes.TIMEOUT)
          .until(() -> sup.whichChild("a").orElseThrow().state() == ChildState.BACKING_OFF);

      assertThat(sup.whichChild("a").orElseThrow().backoff()).isEqualTo(Duration.ofSeconds(2));
    }

    /* OTP's which_child/2 and get_childspec/2 take a pid of a static supervisor's child too. */
    @Test
    void aStaticSupervisorFindsARunningChildByItsPid() {
      ChildSpec b = Worker.spec("b", log);
      SupervisorRef sup = start(Worker.spec("a", log), b);
      Pid pid = Trees.pidOf(sup, "b");

      assertThat(sup.whichChild(pid).map(ChildInfo::id)).contains("b");
      assertThat(sup.getChildSpec(pid)).contains(b);
      assertThat(sup.whichChild(sup.pid())).isEmpty();
      sup.terminateChild("b");
      assertThat(sup.whichChild(pid)).isEmpty();
    }

    /* OTP's which_child/2 on a simple_one_for_one supervisor, by pid. */
    @Test
    void aDynamicSupervisorFindsAChildByItsPid() {
      DynamicSupervisorRef sup = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d"));
      sup.startChild(Worker.spec("w", log));
      Pid second = sup.startChild(Worker.spec("w", log));

      ChildInfo info = sup.whichChild(second).orElseThrow();

      assertThat(info.pid()).isSameAs(second);
      assertThat(info.id()).isEqualTo("w");
    }

    @Test
    void aDynamicSupervisorFindsNothingForAPidNotItsChild() {
      DynamicSupervisorRef sup = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d"));
      Pid child = sup.startChild(Worker.spec("w", log));
      sup.terminateChild(child);

      assertThat(sup.whichChild(child)).isEmpty();
      assertThat(sup.whichChild(sup.pid())).isEmpty();
    }

    @Test
    void aStoppedSupervisorGivesNoProc() {
      SupervisorRef sup = start();
      sup.stop();

      assertThatThrownBy(() -> sup.whichChild("a")).isInstanceOf(CallException.NoProc.class);
    }
  }

  @Nested
  final class GetChildSpec {

    /* supervisor_SUITE sup_start_map: every field filled in, the defaults included. */
    @Test
    void givesTheSpecWithEveryFieldFilledIn() {
      ChildSpec given = Worker.spec("a", log);
      ChildSpec killed = Worker.spec("b", log).withShutdown(Shutdown.brutalKill());
      ChildSpec sub = ChildSpec.supervisor("c", SupervisorSpec.of("c", Strategy.ONE_FOR_ONE));
      SupervisorRef sup = start(given, killed, sub);

      ChildSpec a = sup.getChildSpec("a").orElseThrow();

      assertThat(a).isEqualTo(given);
      assertThat(a.restart()).isEqualTo(Restart.PERMANENT);
      assertThat(a.shutdown()).isEqualTo(ChildSpec.DEFAULT_WORKER_SHUTDOWN);
      assertThat(a.type()).isEqualTo(ChildType.WORKER);
      assertThat(sup.getChildSpec("b").orElseThrow().shutdown()).isEqualTo(Shutdown.brutalKill());
      ChildSpec c = sup.getChildSpec("c").orElseThrow();
      assertThat(c.shutdown()).isEqualTo(Shutdown.infinity());
      assertThat(c.type()).isEqualTo(ChildType.SUPERVISOR);
    }

    /* supervisor_SUITE sup_start_map: {error, not_found} = get_childspec(Pid, child4). */
    @Test
    void anUnknownIdGivesNothing() {
      SupervisorRef sup = start(Worker.spec("a", log));

      assertThat(sup.getChildSpec("child4")).isEmpty();
    }

    /* supervisor_SUITE do_not_save_start_parameters_for_temporary_children. */
    @Test
    void aRunningTemporaryChildsSpecHasNoStartFunction() {
      SupervisorRef sup = start();
      sup.startChild(Worker.spec("t", log).withRestart(Restart.TEMPORARY));

      ChildSpec t = sup.getChildSpec("t").orElseThrow();

      assertThat(t.restart()).isEqualTo(Restart.TEMPORARY);
      assertThatThrownBy(() -> t.start().start()).isInstanceOf(IllegalStateException.class);
    }

    /* supervisor_SUITE sup_start_map_simple: the same spec for each child, by pid. */
    @Test
    void aDynamicSupervisorGivesEachChildsSpecByPid() {
      DynamicSupervisorRef sup = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d"));
      ChildSpec spec = Worker.spec("w", log);
      Pid one = sup.startChild(spec);
      Pid two = sup.startChild(spec);

      assertThat(sup.getChildSpec(one)).contains(spec);
      assertThat(sup.getChildSpec(two)).contains(spec);
      assertThat(sup.getChildSpec(sup.pid())).isEmpty();
    }
  }
}

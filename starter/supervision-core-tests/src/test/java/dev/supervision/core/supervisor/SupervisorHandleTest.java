package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.LocalName;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/* The supervisor handles: what each kind offers, equality, pid() and whereis(); ChildSpec.server. */
final class SupervisorHandleTest {
  private final Node node = Node.create("handles", new ManualTicker());
  private final EventRecorder events = EventRecorder.on(node);

  @AfterEach
  void closeNode() {
    Nodes.closeAndCheckNoProcessLeft(node);
  }

  private SupervisorRef start(ChildSpec... children) {
    return Supervisor.start(
        node, SupervisorSpec.of("s", Strategy.ONE_FOR_ONE).withChildren(children));
  }

  /** A counter whose value lives in the instance, so a fresh instance starts at zero. */
  static final class Counter implements Server<Counter.Message> {
    sealed interface Message {}

    record Increment(long by) implements Message {}

    record Get(ReplyTo<Long> replyTo) implements Message {}

    enum Crash implements Message {
      INSTANCE
    }

    private long value;

    @Override
    public void handle(Message message) {
      switch (message) {
        case Increment(long by) -> value += by;
        case Get(var replyTo) -> replyTo.reply(value);
        case Crash c -> throw new IllegalStateException("crash requested");
      }
    }
  }

  /* The public instance operations of a handle class, as "name(ParameterType, ...)". */
  private static Set<String> operations(Class<?> handle) {
    return Arrays.stream(handle.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getDeclaringClass() != Object.class)
        .map(SupervisorHandleTest::signature)
        .collect(Collectors.toSet());
  }

  private static String signature(Method method) {
    return Arrays.stream(method.getParameterTypes())
        .map(Class::getSimpleName)
        .collect(Collectors.joining(", ", method.getName() + "(", ")"));
  }

  @Nested
  final class Kinds {
    private static final List<String> COMMON =
        List.of(
            "whichChildren()",
            "countChildren()",
            "inspect(Duration)",
            "stop()",
            "pid()",
            "whereis()",
            "address()",
            "whichChild(Pid)",
            "getChildSpec(Pid)");

    @Test
    void everySupervisorHandleIsAStaticOrADynamicOneAndBothAnswerTheCommonOperations() {
      assertThat(SupervisorHandle.class.getPermittedSubclasses())
          .containsExactlyInAnyOrder(SupervisorRef.class, DynamicSupervisorRef.class);
      assertThat(operations(SupervisorHandle.class))
          .containsAll(COMMON)
          .noneMatch(op -> op.matches("(start|terminate|restart|delete)Child\\(.*"));
    }

    @Test
    void aDynamicSupervisorsHandleOffersStartChildAndTerminateChildByPidOnly() {
      assertThat(operations(DynamicSupervisorRef.class))
          .containsAll(COMMON)
          .contains("startChild(ChildSpec)", "terminateChild(Pid)")
          .doesNotContain("terminateChild(String)", "restartChild(String)", "deleteChild(String)");
    }

    @Test
    void aStaticSupervisorsHandleOffersTheOperationsByChildIdAndNoTerminateByPid() {
      assertThat(operations(SupervisorRef.class))
          .containsAll(COMMON)
          .contains(
              "startChild(ChildSpec)",
              "terminateChild(String)",
              "restartChild(String)",
              "deleteChild(String)")
          .doesNotContain("terminateChild(Pid)");
    }

    @Test
    void theStartsReturnTheHandleOfTheirKind() throws Exception {
      assertThat(
              Supervisor.class.getMethod("start", Node.class, SupervisorSpec.class).getReturnType())
          .isEqualTo(SupervisorRef.class);
      assertThat(
              DynamicSupervisor.class
                  .getMethod("start", Node.class, DynamicSupervisorSpec.class)
                  .getReturnType())
          .isEqualTo(DynamicSupervisorRef.class);
    }
  }

  @Nested
  final class ServerChildren {

    @Test
    void aServerChildIsAPermanentWorkerLinkedToTheSupervisor() {
      SupervisorRef sup = start(ChildSpec.server("counter", Counter::new));

      ChildInfo info = Trees.info(sup, "counter");
      assertThat(info.state()).isEqualTo(ChildState.RUNNING);
      assertThat(info.type()).isEqualTo(ChildType.WORKER);
      assertThat(info.restart()).isEqualTo(Restart.PERMANENT);
      assertThat(info.shutdown()).isEqualTo(ChildSpec.DEFAULT_WORKER_SHUTDOWN);
      Pid counter = info.runningPid().orElseThrow();
      assertThat(node.links(counter)).containsExactly(sup.pid());
      ServerRef<Counter.Message> ref = ServerRef.of(counter);
      ref.cast(new Counter.Increment(2));
      long value = ref.call(Counter.Get::new);
      assertThat(value).isEqualTo(2);
    }

    @Test
    void aRestartedServerChildIsAFreshInstanceOfTheFactory() {
      List<Counter> made = new CopyOnWriteArrayList<>();
      SupervisorRef sup =
          start(
              ChildSpec.server(
                  "counter",
                  () -> {
                    Counter counter = new Counter();
                    made.add(counter);
                    return counter;
                  }));
      Pid first = Trees.pidOf(sup, "counter");
      ServerRef<Counter.Message> before = ServerRef.of(first);
      before.cast(new Counter.Increment(5));
      assertThat(before.call(Counter.Get::new)).isEqualTo(5L);

      before.cast(Counter.Crash.INSTANCE);
      events.awaitExit(first);

      Pid second = Trees.pidOf(sup, "counter");
      assertThat(second).isNotNull().isNotSameAs(first);
      assertThat(ServerRef.<Counter.Message>of(second).call(Counter.Get::new)).isZero();
      assertThat(made).hasSize(2);
      assertThat(made.get(1)).isNotSameAs(made.get(0));
    }

    @Test
    void aNamedServerChildIsReachedByItsNameAcrossRestarts() {
      LocalName name = node.name("counter");
      SupervisorRef sup =
          start(ChildSpec.server("counter", Counter::new, StartOptions.named(name)));
      ServerRef<Counter.Message> counter = ServerRef.of(name);
      Pid first = counter.pid();
      assertThat(Trees.pidOf(sup, "counter")).isSameAs(first);
      counter.cast(new Counter.Increment(3));
      assertThat(counter.call(Counter.Get::new)).isEqualTo(3L);

      counter.cast(Counter.Crash.INSTANCE);
      events.awaitExit(first);

      Pid second = Trees.pidOf(sup, "counter");
      assertThat(second).isNotNull().isNotSameAs(first);
      assertThat(counter.whereis()).isSameAs(second);
      assertThat(node.registeredNames()).containsEntry("counter", second);
      assertThat(counter.call(Counter.Get::new)).isZero();
    }
  }

  @Nested
  final class Equality {

    @Test
    void handlesOnTheSameAddressAreEqual() {
      SupervisorRef sup = start();
      DynamicSupervisorRef dyn = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d"));

      assertThat(SupervisorRef.of(sup.pid())).isEqualTo(sup).hasSameHashCodeAs(sup);
      assertThat(DynamicSupervisorRef.of(dyn.pid())).isEqualTo(dyn).hasSameHashCodeAs(dyn);
      assertThat(SupervisorRef.of(sup).address()).isSameAs(sup.pid());
      assertThat(DynamicSupervisorRef.of(dyn).address()).isSameAs(dyn.pid());
      assertThat(sup).isNotEqualTo(start());
    }

    @Test
    void aStaticAndADynamicHandleOnTheSameAddressAreNotEqual() {
      DynamicSupervisorRef dyn = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("d"));

      SupervisorRef asStatic = SupervisorRef.of(dyn);

      assertThat(asStatic.address()).isSameAs(dyn.pid());
      assertThat(asStatic).isNotEqualTo(dyn);
      assertThat(dyn).isNotEqualTo(asStatic);
    }
  }

  @Nested
  final class PidAndWhereis {

    @Test
    void aHandleFromAStartKeepsItsPidOnceTheSupervisorHasStoppedAndWhereisThenGivesNull() {
      SupervisorRef sup = start();
      Pid pid = sup.pid();
      assertThat(sup.whereis()).isSameAs(pid);
      assertThat(pid.isAlive()).isTrue();

      sup.stop();

      assertThat(sup.whereis()).isNull();
      assertThat(sup.pid()).isSameAs(pid);
      assertThat(Exits.awaitExit(pid)).isEqualTo(ExitReason.shutdown());
      assertThatThrownBy(sup::countChildren).isInstanceOf(CallException.NoProc.class);
    }

    @Test
    void aHandleOnAChildSupervisorsPidDoesNotFollowItsRestart() {
      SupervisorRef root =
          start(ChildSpec.supervisor("inner", SupervisorSpec.of("inner", Strategy.ONE_FOR_ONE)));
      SupervisorRef inner = Trees.supervisorOf(root, "inner");
      Pid first = inner.pid();

      node.kill(first);
      events.awaitExit(first);

      assertThat(inner.whereis()).isNull();
      assertThat(inner.pid()).isSameAs(first);
      assertThat(Trees.supervisorOf(root, "inner").whereis()).isNotNull().isNotSameAs(first);
    }

    @Test
    void aHandleOnANameNoProcessHoldsHasNoPidAndItsCallsFailWithNoProc() {
      LocalName nobody = node.name("nobody");
      DynamicSupervisorRef sup = DynamicSupervisorRef.of(nobody);

      assertThat(sup.address()).isEqualTo(nobody);
      assertThat(sup.whereis()).isNull();
      assertThatThrownBy(sup::pid)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("nobody");
      assertThatThrownBy(sup::whichChildren).isInstanceOf(CallException.NoProc.class);
    }
  }
}

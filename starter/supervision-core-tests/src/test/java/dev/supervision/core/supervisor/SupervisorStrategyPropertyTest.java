package dev.supervision.core.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.test.Exits;
import dev.supervision.test.ManualTicker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random exit sequences against a small model of OTP's supervisor: for each strategy, a few hundred
 * seeds each start a supervisor with random children (restart types, trapping or not) and a random
 * intensity, then end random children with random reasons, terminate and restart some, and move a
 * manual clock by random amounts. After every step the children must be exactly those the model
 * predicts, each with the same pid, a new pid, or none; dropped and replaced processes must be
 * dead; and the supervisor must give up exactly when the model says.
 *
 * <p>A failure names the strategy and seed and lists the steps; {@code Run(strategy, seed)} replays
 * it.
 */
final class SupervisorStrategyPropertyTest {
  private static final int SEEDS_PER_STRATEGY = 100;
  private static final int STEPS = 12;
  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final Duration[] ADVANCES = {
    Duration.ZERO,
    Duration.ZERO,
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    WINDOW,
    WINDOW.plusNanos(1),
    Duration.ofSeconds(7)
  };
  private static final int[] MAX_RESTARTS = {0, 1, 2, 3, 5, 10};
  private static final Restart[] RESTARTS = {
    Restart.PERMANENT, Restart.PERMANENT, Restart.TRANSIENT, Restart.TEMPORARY
  };

  /** What happened across the seeds, to check that every path of the model was taken. */
  enum Path {
    RESTARTED_ALONE,
    RESTARTED_WITH_SIBLINGS,
    NOT_RESTARTED_SPEC_KEPT,
    TEMPORARY_DELETED,
    TEMPORARY_BYSTANDER_DROPPED,
    STOPPED_CHILD_STARTED_BY_GROUP,
    WINDOW_FORGOT_A_RESTART,
    GAVE_UP,
    TERMINATED,
    RESTARTED_BY_CALL
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Strategy.class)
  void randomExitSequencesLeaveExactlyTheChildrenTheModelPredicts(Strategy strategy) {
    Map<Path, Integer> seen = new EnumMap<>(Path.class);
    long firstSeed =
        switch (strategy) {
          case ONE_FOR_ONE -> 1_000L;
          case ONE_FOR_ALL -> 2_000L;
          case REST_FOR_ONE -> 3_000L;
        };
    for (long seed = firstSeed; seed < firstSeed + SEEDS_PER_STRATEGY; seed++) {
      new Run(strategy, seed, seen).execute();
    }

    List<Path> expected = new ArrayList<>(List.of(Path.values()));
    if (strategy == Strategy.ONE_FOR_ONE) {
      expected.removeAll(
          List.of(
              Path.RESTARTED_WITH_SIBLINGS,
              Path.TEMPORARY_BYSTANDER_DROPPED,
              Path.STOPPED_CHILD_STARTED_BY_GROUP));
    }
    assertThat(seen.keySet()).as("paths taken over the seeds: %s", seen).containsAll(expected);
  }

  /** One child as the model sees it. */
  private static final class Expected {
    final String id;
    final Restart restart;
    Pid pid; // as last observed; null when not running
    int restarts;
    Outcome outcome = Outcome.NEW; // started with the supervisor

    Expected(String id, Restart restart) {
      this.id = id;
      this.restart = restart;
    }

    @Override
    public String toString() {
      return id
          + "("
          + restart.name().substring(0, 4).toLowerCase(Locale.ROOT)
          + (pid == null ? ",stopped" : "")
          + ")";
    }
  }

  /** What a step must do to a child. */
  private enum Outcome {
    SAME,
    NEW,
    STOPPED
  }

  /** One seed: a supervisor, a model of it and a random sequence of steps. */
  private static final class Run {
    private final Strategy strategy;
    private final long seed;
    private final Map<Path, Integer> seen;
    private final Random random;
    private final ManualTicker ticker = new ManualTicker();
    private final List<String> trace = new ArrayList<>();
    private final List<Expected> model = new ArrayList<>();
    private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
    private final List<Pid> mustBeDead = new ArrayList<>();
    private int maxRestarts;

    Run(Strategy strategy, long seed, Map<Path, Integer> seen) {
      this.strategy = strategy;
      this.seed = seed;
      this.seen = seen;
      this.random = new Random(seed);
    }

    void execute() {
      Node node = Node.create("property-" + seed, ticker);
      try {
        steps(node, EventRecorder.on(node));
        Nodes.closeAndCheckNoProcessLeft(node);
      } catch (AssertionError | RuntimeException e) {
        node.close();
        throw new AssertionError(
            "strategy "
                + strategy
                + ", seed "
                + seed
                + " failed after these steps:\n  "
                + String.join("\n  ", trace)
                + "\n"
                + e.getMessage(),
            e);
      }
    }

    private void steps(Node node, EventRecorder events) {
      maxRestarts = MAX_RESTARTS[random.nextInt(MAX_RESTARTS.length)];
      List<String> log = new CopyOnWriteArrayList<>();
      List<ChildSpec> specs = new ArrayList<>();
      int count = 1 + random.nextInt(6);
      for (int i = 0; i < count; i++) {
        Expected child = new Expected("c" + i, RESTARTS[random.nextInt(RESTARTS.length)]);
        model.add(child);
        ChildSpec spec =
            random.nextBoolean() ? Worker.trapping(child.id, log) : Worker.spec(child.id, log);
        specs.add(spec.withRestart(child.restart));
      }
      trace.add("start " + strategy + ", maxRestarts " + maxRestarts + ", children " + model);
      SupervisorRef sup =
          Supervisor.start(
              node,
              SupervisorSpec.of("property", strategy)
                  .withIntensity(maxRestarts, WINDOW)
                  .withChildren(specs));
      verify(sup);

      for (int step = 0; step < STEPS && !model.isEmpty(); step++) {
        ticker.advance(ADVANCES[random.nextInt(ADVANCES.length)]);
        List<Expected> running = model.stream().filter(c -> c.pid != null).toList();
        List<Expected> stopped = model.stream().filter(c -> c.pid == null).toList();
        int dice = random.nextInt(10);
        if (dice < 7 && !running.isEmpty()) {
          Expected victim = running.get(random.nextInt(running.size()));
          if (end(sup, events, victim)) {
            return; // the supervisor gave up, as the model said
          }
        } else if (dice < 8 && !stopped.isEmpty()) {
          restart(sup, stopped.get(random.nextInt(stopped.size())));
        } else {
          terminate(sup, model.get(random.nextInt(model.size())));
        }
      }
      sup.stop();
      assertThat(sup.pid().exitReason()).contains(ExitReason.shutdown());
    }

    /** Ends {@code victim} with a random reason; returns whether the supervisor gave up. */
    private boolean end(SupervisorRef sup, EventRecorder events, Expected victim) {
      ExitReason reason =
          switch (random.nextInt(4)) {
            case 0 -> ExitReason.normal();
            case 1 -> ExitReason.shutdown();
            case 2 -> ExitReason.killed();
            default -> ExitReason.crashed(new IllegalStateException("crash requested"));
          };
      trace.add(
          "t="
              + Duration.ofNanos(ticker.nanoTime()).toSeconds()
              + "s end "
              + victim
              + " with "
              + Worker.name(reason)
              + " among "
              + model);
      List<Pid> before = model.stream().map(c -> c.pid).filter(p -> p != null).toList();
      Pid old = victim.pid;
      boolean givesUp = expectExit(victim, reason);

      Worker.end(old, reason);
      events.awaitExit(old);

      assertThat(Worker.name(old.exitReason().orElseThrow())).isEqualTo(Worker.name(reason));
      if (givesUp) {
        seen.merge(Path.GAVE_UP, 1, Integer::sum);
        assertThat(Exits.awaitExit(sup.pid()))
            .as("supervisor exit")
            .isEqualTo(ExitReason.shutdown());
        assertThat(before).as("children of a supervisor that gave up").noneMatch(Pid::isAlive);
        return true;
      }
      verify(sup);
      return false;
    }

    /* The model: what an exit does, by restart type, reason, intensity and strategy. */
    private boolean expectExit(Expected victim, ExitReason reason) {
      resetOutcomes();
      mustBeDead.add(victim.pid);
      boolean restart =
          switch (victim.restart) {
            case PERMANENT -> true;
            case TRANSIENT ->
                reason instanceof ExitReason.Killed || reason instanceof ExitReason.Crashed;
            case TEMPORARY -> false;
          };
      if (!restart) {
        if (victim.restart == Restart.TEMPORARY) {
          model.remove(victim);
          seen.merge(Path.TEMPORARY_DELETED, 1, Integer::sum);
        } else {
          victim.outcome = Outcome.STOPPED;
          seen.merge(Path.NOT_RESTARTED_SPEC_KEPT, 1, Integer::sum);
        }
        return false;
      }
      long now = ticker.nanoTime();
      restartTimes.addLast(now);
      int before = restartTimes.size();
      while (now - restartTimes.peekFirst() > WINDOW.toNanos()) {
        restartTimes.pollFirst();
      }
      if (restartTimes.size() < before) {
        seen.merge(Path.WINDOW_FORGOT_A_RESTART, 1, Integer::sum);
      }
      if (restartTimes.size() > maxRestarts) {
        return true;
      }
      int index = model.indexOf(victim);
      List<Expected> group =
          switch (strategy) {
            case ONE_FOR_ONE -> List.of(victim);
            case ONE_FOR_ALL -> List.copyOf(model);
            case REST_FOR_ONE -> List.copyOf(model.subList(index, model.size()));
          };
      seen.merge(
          group.size() == 1 ? Path.RESTARTED_ALONE : Path.RESTARTED_WITH_SIBLINGS, 1, Integer::sum);
      for (Expected member : group) {
        if (member != victim && member.pid != null) {
          mustBeDead.add(member.pid);
        }
        if (member != victim && member.restart == Restart.TEMPORARY) {
          model.remove(member);
          seen.merge(Path.TEMPORARY_BYSTANDER_DROPPED, 1, Integer::sum);
          continue;
        }
        if (member.pid == null) {
          seen.merge(Path.STOPPED_CHILD_STARTED_BY_GROUP, 1, Integer::sum);
        }
        member.outcome = Outcome.NEW;
        member.restarts++;
      }
      return false;
    }

    private void terminate(SupervisorRef sup, Expected child) {
      trace.add("terminateChild " + child + " among " + model);
      resetOutcomes();
      Pid old = child.pid;
      if (child.restart == Restart.TEMPORARY) {
        model.remove(child);
      } else {
        child.outcome = Outcome.STOPPED;
      }
      seen.merge(Path.TERMINATED, 1, Integer::sum);

      sup.terminateChild(child.id);

      if (old != null) {
        assertThat(old.exitReason()).contains(ExitReason.shutdown());
      }
      verify(sup);
    }

    private void restart(SupervisorRef sup, Expected child) {
      trace.add("restartChild " + child + " among " + model);
      resetOutcomes();
      child.outcome = Outcome.NEW;
      seen.merge(Path.RESTARTED_BY_CALL, 1, Integer::sum);

      Pid pid = sup.restartChild(child.id);

      verify(sup);
      assertThat(child.pid).isSameAs(pid);
    }

    private void resetOutcomes() {
      for (Expected child : model) {
        child.outcome = child.pid == null ? Outcome.STOPPED : Outcome.SAME;
      }
    }

    /* Compares the supervisor's children with the model, then takes the new pids into it. */
    private void verify(SupervisorRef sup) {
      List<ChildInfo> actual = sup.whichChildren();
      assertThat(actual).extracting(ChildInfo::id).containsExactlyElementsOf(ids());
      int active = 0;
      for (int i = 0; i < actual.size(); i++) {
        Expected expected = model.get(i);
        ChildInfo info = actual.get(i);
        String what = expected.id + " expected " + expected.outcome;
        switch (expected.outcome) {
          case SAME -> assertThat(info.pid()).as(what).isSameAs(expected.pid);
          case NEW -> assertThat(info.pid()).as(what).isNotNull().isNotSameAs(expected.pid);
          case STOPPED -> assertThat(info.pid()).as(what).isNull();
        }
        if (info.pid() != null) {
          active++;
          assertThat(info.pid().isAlive()).as(what + ", alive").isTrue();
          assertThat(info.state()).as(what).isEqualTo(ChildState.RUNNING);
        } else {
          assertThat(info.state()).as(what).isEqualTo(ChildState.STOPPED);
        }
        assertThat(info.restarts()).as(expected.id + " restarts").isEqualTo(expected.restarts);
        assertThat(info.restart()).isEqualTo(expected.restart);
        expected.pid = info.pid();
      }
      assertThat(mustBeDead).as("replaced or dropped processes").noneMatch(Pid::isAlive);
      mustBeDead.clear();
      ChildCounts counts = sup.countChildren();
      assertThat(counts.specs()).isEqualTo(model.size());
      assertThat(counts.active()).isEqualTo(active);
    }

    private List<String> ids() {
      return model.stream().map(c -> c.id).toList();
    }
  }
}

package dev.supervision.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of register, unregister, unregisterMatch, updateValue and crashes, checked after
 * every step against a plain model of Elixir's semantics. Seeded, so a failure replays.
 */
final class RegistryModelTest {
  private static final int ACTORS = 4;
  private static final String[] KEYS = {"a", "b", "c"};

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (long seed = 1; seed <= 12; seed++) {
      cases.add(Arguments.of(Keys.UNIQUE, seed));
      cases.add(Arguments.of(Keys.DUPLICATE, seed));
    }
    return cases;
  }

  /** One entry of the model: who registered which value. */
  private record Held(int actor, int value) {}

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("cases")
  void behavesLikeTheModel(Keys keys, long seed) {
    Random random = new Random(seed);
    try (Node node = Node.create("model")) {
      Registry<String, @Nullable Object> registry =
          Registry.create(
              node, RegistrySpec.of("model", keys).withPartitions(1 + random.nextInt(4)));
      Pid[] actors = new Pid[ACTORS];
      for (int i = 0; i < ACTORS; i++) {
        actors[i] = Actor.start(node);
      }
      Map<String, List<Held>> model = new HashMap<>();
      for (String key : KEYS) {
        model.put(key, new ArrayList<>());
      }
      List<String> trace = new ArrayList<>();
      for (int step = 0; step < 150; step++) {
        int actor = random.nextInt(ACTORS);
        String key = KEYS[random.nextInt(KEYS.length)];
        int value = random.nextInt(3);
        int op = random.nextInt(10);
        List<Held> held = model.get(key);
        Pid pid = actors[actor];
        if (op < 5) {
          trace.add(actor + " register " + key + "=" + value);
          Pid expectedHolder =
              keys == Keys.UNIQUE && !held.isEmpty() ? actors[held.get(0).actor()] : null;
          try {
            Actor.exec(pid, () -> registry.register(key, value));
            if (expectedHolder != null) {
              fail("registered a taken key; trace %s", trace);
            }
            held.add(new Held(actor, value));
          } catch (AlreadyRegisteredException e) {
            assertThat(e.holder()).as("trace %s", trace).isSameAs(expectedHolder);
          }
        } else if (op < 7) {
          trace.add(actor + " unregister " + key);
          Actor.exec(pid, () -> registry.unregister(key));
          held.removeIf(h -> h.actor() == actor);
        } else if (op == 7) {
          trace.add(actor + " unregisterMatch " + key + "=" + value);
          Actor.exec(
              pid, () -> registry.unregisterMatch(key, v -> Integer.valueOf(value).equals(v)));
          held.removeIf(h -> h.actor() == actor && h.value() == value);
        } else if (op == 8 && keys == Keys.UNIQUE) {
          trace.add(actor + " updateValue " + key + "+10");
          boolean owns = !held.isEmpty() && held.get(0).actor() == actor;
          boolean updated =
              Actor.run(pid, () -> registry.updateValue(key, v -> (Integer) v + 10).isPresent());
          assertThat(updated).as("trace %s", trace).isEqualTo(owns);
          if (owns) {
            held.set(0, new Held(actor, held.get(0).value() + 10));
          }
        } else {
          trace.add(actor + " crash");
          Actor.crash(pid);
          actors[actor] = Actor.start(node);
          for (List<Held> h : model.values()) {
            h.removeIf(e -> e.actor() == actor);
          }
        }
        check(registry, model, actors, trace);
      }
    }
  }

  private static void check(
      Registry<String, @Nullable Object> registry,
      Map<String, List<Held>> model,
      Pid[] actors,
      List<String> trace) {
    int total = 0;
    for (String key : KEYS) {
      List<Registry.Entry<@Nullable Object>> expected = new ArrayList<>();
      for (Held h : model.get(key)) {
        expected.add(new Registry.Entry<>(actors[h.actor()], h.value()));
      }
      total += expected.size();
      assertThat(registry.lookup(key))
          .as("lookup %s after %s", key, trace)
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(registry.count(key)).isEqualTo(expected.size());
    }
    assertThat(registry.count()).as("count after %s", trace).isEqualTo(total);
    for (int i = 0; i < actors.length; i++) {
      List<String> expectedKeys = new ArrayList<>();
      for (String key : KEYS) {
        for (Held h : model.get(key)) {
          if (h.actor() == i) {
            expectedKeys.add(key);
          }
        }
      }
      assertThat(registry.keys(actors[i]))
          .as("keys of actor %d after %s", i, trace)
          .containsExactlyInAnyOrderElementsOf(expectedKeys);
    }
  }
}

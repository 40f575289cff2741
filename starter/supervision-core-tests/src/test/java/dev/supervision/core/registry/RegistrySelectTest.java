package dev.supervision.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.Node;
import dev.supervision.core.registry.Registry.Registration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Registry#select} and {@link Registry#countSelect}: Elixir's {@code select/2} and {@code
 * count_select/2}, with a predicate over {@code (key, pid, value)} where Elixir takes a match spec.
 * Each test runs, as Elixir's, on unique and duplicate registries with 1 and 8 partitions.
 */
final class RegistrySelectTest {
  private Node node;

  /** Elixir's {@code {1, :atom, 1}}-style tuple values. */
  record Triple(Object first, Object second, Object third) {}

  @BeforeEach
  void createNode() {
    node = Node.create("registry-select-test");
  }

  @AfterEach
  void closeNode() {
    node.close();
  }

  static Stream<RegistrySpec> specs() {
    return Stream.of(
        RegistrySpec.unique("unique-1").withPartitions(1),
        RegistrySpec.unique("unique-8").withPartitions(8),
        RegistrySpec.duplicate("duplicate-1").withPartitions(1),
        RegistrySpec.duplicate("duplicate-8").withPartitions(8));
  }

  static Stream<RegistrySpec> uniqueSpecs() {
    return specs().filter(spec -> spec.keys() == Keys.UNIQUE);
  }

  static Stream<RegistrySpec> duplicateSpecs() {
    return specs().filter(spec -> spec.keys() == Keys.DUPLICATE);
  }

  private Registry<String, @Nullable Object> create(RegistrySpec spec) {
    return Registry.create(node, spec);
  }

  @Nested
  final class Select {

    // mirrors unique_test.exs and duplicate_test.exs "empty list for empty registry"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void anEmptyRegistrySelectsNothing(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      assertThat(registry.select(r -> true)).isEmpty();
    }

    // mirrors unique_test.exs "select all" (a via-registered Agent has value nil)
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#uniqueSpecs")
    void selectingEverything_returnsEachRegistrationAsKeyPidAndValue(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client agent = Client.spawn(node);
      Client self = Client.spawn(node);
      agent.exec(p -> registerNull(registry, "hello"));
      self.exec(p -> register(registry, "world", "value"));

      assertThat(registry.select(r -> true))
          .containsExactlyInAnyOrder(
              new Registration<>("hello", agent.pid(), null),
              new Registration<>("world", self.pid(), "value"));
    }

    // mirrors duplicate_test.exs "select all"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#duplicateSpecs")
    void selectingEverything_returnsEveryEntryOfADuplicateKey(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      self.exec(p -> register(registry, "hello", "value"));
      self.exec(p -> register(registry, "hello", "value"));

      assertThat(registry.select(r -> true))
          .containsExactly(
              new Registration<>("hello", self.pid(), "value"),
              new Registration<>("hello", self.pid(), "value"));
    }

    // mirrors unique_test.exs and duplicate_test.exs "select supports full match specs"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void selectsByKeyByPidByValueAndByTheValuesStructure(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      Triple value = new Triple(1, "atom", 1);
      self.exec(p -> register(registry, "hello", value));
      Registration<String, @Nullable Object> hello = new Registration<>("hello", self.pid(), value);

      // {{"hello", :"$2", :"$3"}, ...}
      assertThat(registry.select(r -> r.key().equals("hello"))).containsExactly(hello);
      // {{:"$1", self(), :"$3"}, ...}
      assertThat(registry.select(r -> r.pid() == self.pid())).containsExactly(hello);
      // {{:"$1", :"$2", value}, ...}
      assertThat(registry.select(r -> value.equals(r.value()))).containsExactly(hello);
      // {{"world", :"$2", :"$3"}, ...}
      assertThat(registry.select(r -> r.key().equals("world"))).isEmpty();
      // {{:"$1", :"$2", {1.0, :_, :_}}, ...}: 1.0 is not 1
      assertThat(
              registry.select(
                  r -> r.value() instanceof Triple(var first, var s, var t) && first.equals(1.0)))
          .isEmpty();
      // {{:"$1", :"$2", {:"$3", :atom, :"$4"}}, ...}
      assertThat(
              registry.select(
                  r ->
                      r.value() instanceof Triple(var f, var second, var t)
                          && second.equals("atom")))
          .containsExactly(hello);
      // {{:"$1", :"$2", {:"$3", :"$4", :"$3"}}, ...}: the same variable twice
      assertThat(
              registry.select(
                  r ->
                      r.value() instanceof Triple(var first, var s, var third)
                          && first.equals(third)))
          .containsExactly(hello);

      Map<String, String> value2 = Map.of("a", "a", "b", "b");
      self.exec(p -> register(registry, "world", value2));
      // {{"world", self(), %{b: "b"}}, [], [:match]}: a map pattern matches a larger map
      assertThat(
              registry.select(
                  r ->
                      r.key().equals("world")
                          && r.pid() == self.pid()
                          && r.value() instanceof Map<?, ?> map
                          && "b".equals(map.get("b"))))
          .containsExactly(new Registration<>("world", self.pid(), value2));
      // {{:"$1", :_, :_}, [], [:"$1"]}: the body is a projection
      assertThat(registry.select(r -> true).stream().map(Registration::key))
          .containsExactlyInAnyOrder("hello", "world");
    }

    // mirrors unique_test.exs and duplicate_test.exs "select supports guard conditions"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void selectsWithGuardsOnPartsOfTheValue(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      self.exec(p -> register(registry, "hello", new Triple(1, "atom", 2)));

      // [{:>, :"$5", 1}]
      assertThat(
              registry.select(
                  r -> r.value() instanceof Triple(var f, var s, Integer third) && third > 1))
          .containsExactly(new Registration<>("hello", self.pid(), new Triple(1, "atom", 2)));
      // [{:>, :"$1", 2}]
      assertThat(
              registry.select(
                  r -> r.value() instanceof Triple(var f, var s, Integer third) && third > 2))
          .isEmpty();
      // [{:is_atom, :"$2"}], returning the key
      assertThat(
              registry
                  .select(r -> r.value() instanceof Triple(var f, String second, var t))
                  .stream()
                  .map(Registration::key))
          .containsExactly("hello");
    }

    // mirrors unique_test.exs and duplicate_test.exs "select allows multiple specs"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void severalSpecsAreAlternatives(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      self.exec(p -> register(registry, "hello", "value"));
      self.exec(p -> register(registry, "world", "value"));
      self.exec(p -> register(registry, "other", "value"));

      Predicate<Registration<String, @Nullable Object>> hello = r -> r.key().equals("hello");
      Predicate<Registration<String, @Nullable Object>> world = r -> r.key().equals("world");
      assertThat(registry.select(hello.or(world)).stream().map(Registration::key))
          .containsExactlyInAnyOrder("hello", "world");
    }

    // mirrors unique_test.exs "select raises on incorrect shape of match spec"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void aMissingFilterIsRefusedByName(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      assertThatThrownBy(() -> registry.select(nullFilter()))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("filter");
    }

    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void anExceptionFromTheFilterReachesTheCaller(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      self.exec(p -> register(registry, "hello", "value"));
      IllegalStateException boom = new IllegalStateException("boom");

      assertThatThrownBy(
              () ->
                  registry.select(
                      r -> {
                        throw boom;
                      }))
          .isSameAs(boom);
    }

    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void seesTheRegistrationsOfEveryPartition(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      self.exec(
          p -> {
            IntStream.range(0, 100).forEach(i -> registry.register("key-" + i, i));
            return null;
          });

      List<Registration<String, @Nullable Object>> all = registry.select(r -> true);
      assertThat(all).hasSize(100);
      assertThat(all.stream().map(Registration::value))
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).boxed().toList());
    }

    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void theRegistrationsOfAProcessThatExited_areNotSelected(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client gone = Client.spawn(node);
      Client stays = Client.spawn(node);
      gone.exec(p -> register(registry, "gone", 1));
      stays.exec(p -> register(registry, "stays", 2));

      gone.kill();

      assertThat(registry.select(r -> true))
          .containsExactly(new Registration<>("stays", stays.pid(), 2));
    }

    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void aProcessThatExited_isNotSelectedEvenBeforeItsEntriesAreRemoved(RegistrySpec spec)
        throws Exception {
      Registry<String, @Nullable Object> registry = create(spec);
      Client gone = Client.spawn(node);
      Client stays = Client.spawn(node);
      stays.exec(p -> register(registry, "stays", 2));
      try (DelayedCleanUp delayed = DelayedCleanUp.of(gone)) {
        gone.exec(p -> register(registry, "gone", 1));

        delayed.kill();

        assertThat(registry.count()).as("entries not yet removed").isEqualTo(2);
        assertThat(registry.select(r -> true))
            .containsExactly(new Registration<>("stays", stays.pid(), 2));
        assertThat(registry.countSelect(r -> true)).isEqualTo(1);
      }
    }

    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#uniqueSpecs")
    void seesTheValueAfterAnUpdate(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      self.exec(p -> register(registry, "hello", 1));
      self.exec(p -> registry.updateValue("hello", v -> 2));

      assertThat(registry.select(r -> true))
          .containsExactly(new Registration<>("hello", self.pid(), 2));
    }
  }

  @Nested
  final class CountSelect {

    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void anEmptyRegistryCountsZero(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      assertThat(registry.countSelect(r -> true)).isZero();
    }

    // mirrors unique_test.exs and duplicate_test.exs "count_select supports match specs"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void countsByKeyByValueAndByTheValuesStructure(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      Triple value = new Triple(1, "atom", 1);
      self.exec(p -> register(registry, "hello", value));

      assertThat(registry.countSelect(r -> value.equals(r.value()))).isEqualTo(1);
      assertThat(registry.countSelect(r -> r.key().equals("hello"))).isEqualTo(1);
      assertThat(
              registry.countSelect(
                  r ->
                      r.value() instanceof Triple(var first, var second, var t)
                          && first.equals(1)
                          && second.equals("atom")))
          .isEqualTo(1);
      assertThat(
              registry.countSelect(
                  r ->
                      r.value() instanceof Triple(var first, var s, var third)
                          && first.equals(third)))
          .isEqualTo(1);
      assertThat(registry.countSelect(r -> r.key().equals("hello") && r.value() == null)).isZero();

      self.exec(p -> register(registry, "world", Map.of("a", "a", "b", "b")));
      assertThat(registry.countSelect(r -> r.key().equals("world"))).isEqualTo(1);
    }

    // mirrors unique_test.exs and duplicate_test.exs "count_select supports guard conditions"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void countsWithGuardsOnPartsOfTheValue(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      self.exec(p -> register(registry, "hello", new Triple(1, "atom", 2)));

      assertThat(registry.countSelect(r -> r.value() instanceof Triple(var f, String s, var t)))
          .isEqualTo(1);
      assertThat(
              registry.countSelect(
                  r -> r.value() instanceof Triple(var f, var s, Integer third) && third > 1))
          .isEqualTo(1);
      assertThat(
              registry.countSelect(
                  r -> r.value() instanceof Triple(var f, var s, Integer third) && third > 2))
          .isZero();
    }

    // mirrors unique_test.exs and duplicate_test.exs "count_select allows multiple specs"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void severalSpecsAreAlternatives(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client self = Client.spawn(node);
      self.exec(p -> register(registry, "hello", "value"));
      self.exec(p -> register(registry, "world", "value"));
      self.exec(p -> register(registry, "other", "value"));

      Predicate<Registration<String, @Nullable Object>> hello = r -> r.key().equals("hello");
      Predicate<Registration<String, @Nullable Object>> world = r -> r.key().equals("world");
      assertThat(registry.countSelect(hello.or(world))).isEqualTo(2);
    }

    // mirrors duplicate_test.exs "select all" for count_select: every entry counts
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#duplicateSpecs")
    void countsEveryEntryOfADuplicateKey(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client a = Client.spawn(node);
      Client b = Client.spawn(node);
      a.exec(p -> register(registry, "hello", 1));
      a.exec(p -> register(registry, "hello", 2));
      b.exec(p -> register(registry, "hello", 3));

      assertThat(registry.countSelect(r -> r.key().equals("hello"))).isEqualTo(3);
      assertThat(registry.countSelect(r -> r.pid() == a.pid())).isEqualTo(2);
    }

    // mirrors unique_test.exs "count_select raises on incorrect shape of match spec"
    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void aMissingFilterIsRefusedByName(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      assertThatThrownBy(() -> registry.countSelect(nullFilter()))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("filter");
    }

    @ParameterizedTest
    @MethodSource("dev.supervision.core.registry.RegistrySelectTest#specs")
    void aProcessThatExited_isNotCounted(RegistrySpec spec) {
      Registry<String, @Nullable Object> registry = create(spec);
      Client gone = Client.spawn(node);
      gone.exec(p -> register(registry, "gone", 1));

      gone.kill();

      assertThat(registry.countSelect(r -> true)).isZero();
    }
  }

  private static @Nullable Void register(
      Registry<String, @Nullable Object> registry, String key, Object value) {
    registry.register(key, value);
    return null;
  }

  private static @Nullable Void registerNull(
      Registry<String, @Nullable Object> registry, String key) {
    registry.register(key, null);
    return null;
  }

  @SuppressWarnings({"NullAway", "DataFlowIssue"})
  private static Predicate<Registration<String, @Nullable Object>> nullFilter() {
    return null;
  }
}

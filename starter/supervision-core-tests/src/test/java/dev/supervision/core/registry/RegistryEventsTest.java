package dev.supervision.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.event.SupervisionEvent.EntryRegistered;
import dev.supervision.core.event.SupervisionEvent.EntryRemoved;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The value in registry events: {@link EntryRegistered} carries the registered value as Elixir's
 * listener message {@code {:register, registry, key, pid, value}} does, and {@link EntryRemoved}
 * the value of the entry removed.
 */
final class RegistryEventsTest {
  private Node node;
  private final List<SupervisionEvent> events = new CopyOnWriteArrayList<>();

  /** An event without its time, for comparison. */
  record Seen(String kind, String registry, Object key, Pid pid, @Nullable Object value) {}

  @BeforeEach
  void createNode() {
    node = Node.create("registry-events-test");
    EventBus.of(node).subscribe(events::add);
  }

  @AfterEach
  void closeNode() {
    node.close();
  }

  private List<Seen> seen() {
    return events.stream()
        .<Seen>mapMulti(
            (event, out) -> {
              switch (event) {
                case EntryRegistered e ->
                    out.accept(new Seen("register", e.registry(), e.key(), e.pid(), e.value()));
                case EntryRemoved e ->
                    out.accept(new Seen("unregister", e.registry(), e.key(), e.pid(), e.value()));
                default -> {}
              }
            })
        .toList();
  }

  private static Seen register(String registry, Object key, Pid pid, @Nullable Object value) {
    return new Seen("register", registry, key, pid, value);
  }

  private static Seen unregister(String registry, Object key, Pid pid, @Nullable Object value) {
    return new Seen("unregister", registry, key, pid, value);
  }

  @Nested
  final class Registered {

    // mirrors unique_test.exs "allows listeners"
    @Test
    void aUniqueRegistrationAndItsUnregistration_carryTheValue() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "unique");
      Client task = Client.spawn(node);
      Client self = Client.spawn(node);

      task.exec(p -> put(registry, "hello", "world"));
      self.exec(p -> put(registry, "world", "value"));
      self.exec(p -> drop(registry, "world"));

      assertThat(seen())
          .containsExactly(
              register("unique", "hello", task.pid(), "world"),
              register("unique", "world", self.pid(), "value"),
              unregister("unique", "world", self.pid(), "value"));
    }

    // mirrors duplicate_test.exs "allows listeners"
    @Test
    void duplicateRegistrationsCarryEachTheirValue() {
      Registry<String, @Nullable Object> registry = Registry.duplicate(node, "duplicate");
      Client task = Client.spawn(node);
      Client self = Client.spawn(node);

      task.exec(p -> put(registry, "hello", "world"));
      self.exec(p -> put(registry, "world", "value"));
      self.exec(p -> put(registry, "world", "other"));
      self.exec(p -> drop(registry, "world"));

      assertThat(seen())
          .startsWith(
              register("duplicate", "hello", task.pid(), "world"),
              register("duplicate", "world", self.pid(), "value"),
              register("duplicate", "world", self.pid(), "other"));
      assertThat(seen().subList(3, seen().size()))
          .containsExactlyInAnyOrder(
              unregister("duplicate", "world", self.pid(), "value"),
              unregister("duplicate", "world", self.pid(), "other"));
    }

    @Test
    void aNullValueIsPublishedAsNull() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "unique");
      Client self = Client.spawn(node);

      self.exec(p -> put(registry, "hello", null));

      assertThat(seen()).containsExactly(register("unique", "hello", self.pid(), null));
    }
  }

  @Nested
  final class Removed {

    @Test
    void unregisterMatch_publishesTheValuesOfTheEntriesItRemovedOnly() {
      Registry<String, @Nullable Object> registry = Registry.duplicate(node, "duplicate");
      Client self = Client.spawn(node);
      self.exec(p -> put(registry, "hello", 1));
      self.exec(p -> put(registry, "hello", 2));
      self.exec(p -> put(registry, "hello", 3));
      events.clear();

      self.exec(
          p -> {
            registry.unregisterMatch("hello", v -> v instanceof Integer i && i >= 2);
            return null;
          });

      assertThat(seen())
          .containsExactlyInAnyOrder(
              unregister("duplicate", "hello", self.pid(), 2),
              unregister("duplicate", "hello", self.pid(), 3));
      assertThat(registry.lookup("hello")).containsExactly(new Registry.Entry<>(self.pid(), 1));
    }

    @Test
    void aRemovalAfterUpdateValue_carriesTheValueHeldWhenRemoved() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "unique");
      Client self = Client.spawn(node);
      self.exec(p -> put(registry, "hello", 1));
      self.exec(p -> registry.updateValue("hello", v -> 2));

      self.exec(p -> drop(registry, "hello"));

      assertThat(seen())
          .containsExactly(
              register("unique", "hello", self.pid(), 1),
              unregister("unique", "hello", self.pid(), 2));
    }

    // Elixir does not tell listeners of removals on exit; we publish them, with the value
    @Test
    void theEntriesOfAProcessThatExits_arePublishedWithTheirValues() {
      Registry<String, @Nullable Object> unique = Registry.unique(node, "unique");
      Registry<String, @Nullable Object> duplicate = Registry.duplicate(node, "duplicate");
      Client gone = Client.spawn(node);
      gone.exec(p -> put(unique, "a", "value-a"));
      gone.exec(p -> put(duplicate, "b", "value-b1"));
      gone.exec(p -> put(duplicate, "b", "value-b2"));
      events.clear();

      gone.kill();

      assertThat(seen())
          .containsExactlyInAnyOrder(
              unregister("unique", "a", gone.pid(), "value-a"),
              unregister("duplicate", "b", gone.pid(), "value-b1"),
              unregister("duplicate", "b", gone.pid(), "value-b2"));
    }

    @Test
    void unregisteringAKeyNotHeld_publishesNothing() {
      Registry<String, @Nullable Object> registry = Registry.duplicate(node, "duplicate");
      Client self = Client.spawn(node);
      self.exec(p -> put(registry, "other", 1));
      events.clear();

      self.exec(p -> drop(registry, "hello"));
      self.exec(
          p -> {
            registry.unregisterMatch("hello", v -> true);
            return null;
          });

      assertThat(seen()).isEmpty();
    }
  }

  private static @Nullable Void put(
      Registry<String, @Nullable Object> registry, String key, @Nullable Object value) {
    registry.register(key, value);
    return null;
  }

  private static @Nullable Void drop(Registry<String, @Nullable Object> registry, String key) {
    registry.unregister(key);
    return null;
  }
}

package dev.supervision.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.Node;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Registry metadata: {@link RegistrySpec#meta()} given at creation (Elixir's {@code
 * Registry.start_link(meta: [...])}), read with {@link Registry#meta} and changed with {@link
 * Registry#putMeta} and {@link Registry#deleteMeta}.
 */
final class RegistryMetaTest {
  private Node node;

  /** Elixir allows atoms and tuples as meta keys; a record plays the tuple. */
  record Shard(String region, int index) {}

  @BeforeEach
  void createNode() {
    node = Node.create("registry-meta-test");
  }

  @AfterEach
  void closeNode() {
    node.close();
  }

  @Nested
  final class GivenAtCreation {

    // mirrors registry.ex doctest of meta/2 (Registry.MetaTest)
    @Test
    void metadataFromTheSpecIsReadable_andAnUnknownKeyIsEmpty() {
      Registry<String, @Nullable Object> registry =
          Registry.create(node, RegistrySpec.unique("meta").withMeta("custom_key", "custom_value"));

      assertThat(registry.meta("custom_key")).contains("custom_value");
      assertThat(registry.meta("unknown_key")).isEmpty();
    }

    @Test
    void aMapOfMetadataIsReadableKeyByKey_withRecordsAsKeys() {
      Registry<String, @Nullable Object> registry =
          Registry.create(
              node,
              RegistrySpec.duplicate("meta")
                  .withMeta(Map.of("region", "eu", new Shard("eu", 1), 42)));

      assertThat(registry.meta("region")).contains("eu");
      assertThat(registry.meta(new Shard("eu", 1))).contains(42);
      assertThat(registry.meta(new Shard("eu", 2))).isEmpty();
    }

    @Test
    void withMetaAddsOrReplacesOneKey_andAMapReplacesAll() {
      RegistrySpec spec =
          RegistrySpec.unique("meta").withMeta("a", 1).withMeta("b", 2).withMeta("a", 3);
      assertThat(spec.meta()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 3, "b", 2));
      assertThat(spec.withMeta(Map.of("c", 4)).meta()).containsExactlyEntriesOf(Map.of("c", 4));
      assertThat(RegistrySpec.unique("plain").meta()).isEmpty();
    }

    @Test
    void theSpecKeepsACopy_soChangingTheGivenMapAfterwardsChangesNothing() {
      Map<Object, Object> given = new HashMap<>(Map.of("a", 1));
      RegistrySpec spec = RegistrySpec.unique("meta").withMeta(given);
      given.put("a", 2);
      given.put("b", 3);

      assertThat(spec.meta()).containsExactlyEntriesOf(Map.of("a", 1));
      assertThatThrownBy(() -> spec.meta().put("c", 4))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @SuppressWarnings({"NullAway", "DataFlowIssue"})
    void aNullKeyOrValue_isRefusedNamingTheRegistryAndTheKey() {
      Map<Object, @Nullable Object> nullValue = new HashMap<>();
      nullValue.put("region", null);
      Map<@Nullable Object, Object> nullKey = new HashMap<>();
      nullKey.put(null, "eu");

      assertThatThrownBy(() -> RegistrySpec.unique("meta").withMeta(nullValue))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("registry 'meta': meta value for key region must not be null");
      assertThatThrownBy(() -> RegistrySpec.unique("meta").withMeta("region", null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("registry 'meta': meta value for key region must not be null");
      assertThatThrownBy(() -> RegistrySpec.unique("meta").withMeta(nullKey))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("registry 'meta': meta keys must not be null");
      assertThatThrownBy(() -> RegistrySpec.unique("meta").withMeta((Map<?, ?>) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("registry 'meta': meta must not be null");
    }
  }

  @Nested
  final class PutAndDelete {

    // mirrors registry.ex doctest of put_meta/3 (Registry.PutMetaTest)
    @Test
    void putMetaStoresUnderAKeyOrARecordKey() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "meta");

      registry.putMeta("custom_key", "custom_value");
      registry.putMeta(new Shard("tuple", 0), "tuple_value");

      assertThat(registry.meta("custom_key")).contains("custom_value");
      assertThat(registry.meta(new Shard("tuple", 0))).contains("tuple_value");
    }

    // mirrors registry.ex doctest of delete_meta/2 (Registry.DeleteMetaTest)
    @Test
    void deleteMetaRemovesIt() {
      Registry<String, @Nullable Object> registry = Registry.unique(node, "meta");
      registry.putMeta("custom_key", "custom_value");

      registry.deleteMeta("custom_key");

      assertThat(registry.meta("custom_key")).isEmpty();
    }

    @Test
    void metadataGivenAtCreation_canBeReplacedAndDeleted_withoutChangingTheSpec() {
      RegistrySpec spec = RegistrySpec.unique("meta").withMeta("a", 1).withMeta("b", 2);
      Registry<String, @Nullable Object> registry = Registry.create(node, spec);

      registry.putMeta("a", 10);
      registry.deleteMeta("b");

      assertThat(registry.meta("a")).contains(10);
      assertThat(registry.meta("b")).isEmpty();
      assertThat(registry.spec().meta()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 2));
    }

    @Test
    void aRegistryCreatedAgainFromTheSameSpec_startsFromTheSpecsMetadata() {
      RegistrySpec spec = RegistrySpec.unique("meta").withMeta("a", 1);
      Registry<String, @Nullable Object> first = Registry.create(node, spec);
      first.putMeta("a", 10);
      first.close();

      assertThat(first.meta("a")).as("dropped on close").isEmpty();
      Registry<String, @Nullable Object> second = Registry.create(node, spec);
      assertThat(second.meta("a")).contains(1);
    }
  }
}

package dev.supervision.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.balance.BalanceStrategy;
import dev.supervision.core.registry.Keys;
import dev.supervision.core.supervisor.AutoShutdown;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.spring.autoconfigure.SupervisionProperties.LoadBalancerProperties;
import dev.supervision.spring.autoconfigure.SupervisionProperties.RegistryProperties;
import dev.supervision.spring.autoconfigure.SupervisionProperties.SupervisorProperties;
import dev.supervision.spring.autoconfigure.SupervisionProperties.SupervisorType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/*
 * The configuration metadata the build generates (target/classes/META-INF/
 * spring-configuration-metadata.json): every key a user writes is in it, with a description that
 * follows Boot's rules. The processor does not document the keys of a map's values
 * (spring-boot#9945), so those come from additional-spring-configuration-metadata.json, as
 * supervision.supervisors.*.max-restarts and the like; these tests hold them to the records'
 * Javadoc, which the processor writes per record (@ConfigurationPropertiesSource).
 */
final class ConfigurationMetadataTests {
  private static final Map<String, Class<?>> ENTRIES =
      Map.of(
          "supervision.supervisors.*.", SupervisorProperties.class,
          "supervision.registries.*.", RegistryProperties.class,
          "supervision.load-balancers.*.", LoadBalancerProperties.class);

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(String resource) throws IOException {
    try (InputStream in = ConfigurationMetadataTests.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return JsonMapper.builder().build().readValue(in, Map.class);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> byName(
      Map<String, Object> metadata, String part) {
    Map<String, Map<String, Object>> items = new LinkedHashMap<>();
    for (Map<String, Object> item : (List<Map<String, Object>>) metadata.get(part)) {
      items.put((String) item.get("name"), item);
    }
    return items;
  }

  private static Map<String, Map<String, Object>> properties() throws IOException {
    return byName(read("/META-INF/spring-configuration-metadata.json"), "properties");
  }

  /* The keys of a record's components; a component that is a record is a group of keys. */
  private static List<String> leafKeys(Class<?> record) {
    List<String> keys = new ArrayList<>();
    for (RecordComponent component : record.getRecordComponents()) {
      String key = SupervisionSpecs.kebab(component.getName());
      if (component.getType().isRecord()) {
        leafKeys(component.getType()).forEach(nested -> keys.add(key + "." + nested));
      } else {
        keys.add(key);
      }
    }
    return keys;
  }

  @Test
  void everyPropertyHasADescriptionThatFollowsBootsRules() throws Exception {
    Map<String, Map<String, Object>> properties = properties();
    properties.forEach(
        (name, property) -> {
          String description = (String) property.get("description");
          assertThat(description)
              .as(name)
              .isNotBlank()
              .doesNotStartWith("The ")
              .doesNotStartWith("A ");
          if ("java.lang.Boolean".equals(property.get("type"))) {
            assertThat(description).as(name).startsWith("Whether");
          }
        });
    assertThat(properties.keySet())
        .contains(
            "supervision.enabled",
            "supervision.shutdown-phase",
            "supervision.root.name",
            "supervision.root.strategy",
            "supervision.root.max-restarts",
            "supervision.root.within",
            "supervision.root.on-give-up",
            "supervision.root.exit-code",
            "supervision.health.probe",
            "supervision.supervisors",
            "supervision.registries",
            "supervision.load-balancers");
  }

  @Test
  void everyKeyAUserWritesIsDocumentedIncludingTheKeysOfEachEntry() throws Exception {
    List<String> keys = SupervisionKeys.keys();
    assertThat(keys)
        .contains(
            "supervision.supervisors.*.parent",
            "supervision.supervisors.*.max-restarts",
            "supervision.supervisors.*.auto-shutdown",
            "supervision.supervisors.*.backoff.min",
            "supervision.supervisors.*.backoff.reset-after",
            "supervision.registries.*.partitions",
            "supervision.load-balancers.*.pool-size",
            "supervision.load-balancers.*.key");
    assertThat(properties().keySet()).containsAll(keys);
  }

  @Test
  void theKeysOfEachEntryAreDocumentedAsTheirRecordComponentsAre() throws Exception {
    Map<String, Map<String, Object>> properties = properties();
    for (Map.Entry<String, Class<?>> entry : ENTRIES.entrySet()) {
      Map<String, Map<String, Object>> source =
          byName(
              read(
                  "/META-INF/spring/configuration-metadata/"
                      + entry.getValue().getName()
                      + ".json"),
              "properties");
      assertThat(source).as(entry.getValue().getName()).isNotEmpty();
      assertThat(source.keySet())
          .as(entry.getValue().getName())
          .containsExactlyInAnyOrderElementsOf(leafKeys(entry.getValue()));
      source.forEach(
          (key, documented) -> {
            Map<String, Object> property = properties.get(entry.getKey() + key);
            assertThat(property).as(entry.getKey() + key).isNotNull();
            for (String field : List.of("type", "description", "defaultValue")) {
              assertThat(property.get(field))
                  .as(entry.getKey() + key + " " + field)
                  .isEqualTo(documented.get(field));
            }
          });
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theEnumKeysOfEachEntryHintEveryValue() throws Exception {
    Map<String, Map<String, Object>> hints =
        byName(read("/META-INF/spring-configuration-metadata.json"), "hints");
    Map<String, Class<? extends Enum<?>>> enums = new LinkedHashMap<>();
    enums.put("supervision.supervisors.*.type", SupervisorType.class);
    enums.put("supervision.supervisors.*.strategy", Strategy.class);
    enums.put("supervision.supervisors.*.restart", Restart.class);
    enums.put("supervision.supervisors.*.auto-shutdown", AutoShutdown.class);
    enums.put("supervision.registries.*.keys", Keys.class);
    enums.put("supervision.load-balancers.*.strategy", BalanceStrategy.class);
    enums.forEach(
        (name, type) -> {
          assertThat(hints).as(name).containsKey(name);
          List<String> values =
              ((List<Map<String, Object>>) hints.get(name).get("values"))
                  .stream().map(v -> (String) v.get("value")).toList();
          List<String> expected =
              Arrays.stream(type.getEnumConstants())
                  .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                  .toList();
          assertThat(values).as(name).containsExactlyElementsOf(expected);
        });
  }
}

package dev.supervision.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

final class ConfigurationMetadataTests {

  @Test
  @SuppressWarnings("unchecked")
  void everyPropertyHasADescriptionThatFollowsBootsRules() throws Exception {
    Map<String, Object> metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      metadata = JsonMapper.builder().build().readValue(in, Map.class);
    }
    List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
    List<String> names = new ArrayList<>();
    for (Map<String, Object> property : properties) {
      String name = (String) property.get("name");
      names.add(name);
      String description = (String) property.get("description");
      assertThat(description).as(name).isNotBlank().doesNotStartWith("The ").doesNotStartWith("A ");
      if ("java.lang.Boolean".equals(property.get("type"))) {
        assertThat(description).as(name).startsWith("Whether");
      }
    }
    assertThat(names)
        .contains(
            "supervision.enabled",
            "supervision.shutdown-phase",
            "supervision.root.name",
            "supervision.root.strategy",
            "supervision.root.max-restarts",
            "supervision.root.within",
            "supervision.root.on-give-up",
            "supervision.root.exit-code",
            "supervision.supervisors",
            "supervision.registries",
            "supervision.load-balancers");
  }
}

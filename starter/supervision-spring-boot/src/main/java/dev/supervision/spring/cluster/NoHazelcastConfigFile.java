package dev.supervision.spring.cluster;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;

/*
 * Matches when the application has no Hazelcast configuration file: none named by the system
 * property hazelcast.config or by spring.hazelcast.config, and no hazelcast.xml, .yaml or .yml in
 * the working directory or at the root of the class path. The same places Spring Boot's Hazelcast
 * auto-configuration looks at, so that a file it would use is used as is.
 */
final class NoHazelcastConfigFile extends SpringBootCondition {
  private static final String[] LOCATIONS = {"file:./", "classpath:/"};
  private static final String[] NAMES = {"hazelcast.xml", "hazelcast.yaml", "hazelcast.yml"};

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    String file = configFile(context);
    return file == null
        ? ConditionOutcome.match("no Hazelcast configuration file")
        : ConditionOutcome.noMatch(file);
  }

  /* The Hazelcast configuration file the application has, described, or null. */
  static @Nullable String configFile(ConditionContext context) {
    if (System.getProperty("hazelcast.config") != null) {
      return "system property hazelcast.config is set";
    }
    if (context.getEnvironment().containsProperty("spring.hazelcast.config")) {
      return "spring.hazelcast.config is set";
    }
    ResourceLoader resources = context.getResourceLoader();
    for (String location : LOCATIONS) {
      for (String name : NAMES) {
        if (resources.getResource(location + name).exists()) {
          return "found " + location + name;
        }
      }
    }
    return null;
  }
}

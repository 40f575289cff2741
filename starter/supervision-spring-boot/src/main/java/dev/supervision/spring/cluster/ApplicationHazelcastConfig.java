package dev.supervision.spring.cluster;

import com.hazelcast.config.Config;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/*
 * Matches when the application has a Hazelcast configuration of its own: a Config bean, or a
 * configuration file (NoHazelcastConfigFile's places). The opposite of the member made from
 * supervision.cluster.*, so that exactly one of the two starts a member.
 */
final class ApplicationHazelcastConfig extends SpringBootCondition
    implements ConfigurationCondition {

  @Override
  public ConfigurationPhase getConfigurationPhase() {
    return ConfigurationPhase.REGISTER_BEAN;
  }

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    if (beans != null && beans.getBeanNamesForType(Config.class, true, false).length > 0) {
      return ConditionOutcome.match("a Hazelcast Config bean");
    }
    @Nullable String file = NoHazelcastConfigFile.configFile(context);
    return file != null
        ? ConditionOutcome.match(file)
        : ConditionOutcome.noMatch("no Hazelcast Config bean or configuration file");
  }
}

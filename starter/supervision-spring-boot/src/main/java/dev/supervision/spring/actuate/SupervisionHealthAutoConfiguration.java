package dev.supervision.spring.actuate;

import dev.supervision.spring.SupervisionTracker;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code supervision} health contributor ({@code
 * management.health.supervision.enabled}, default true).
 */
@AutoConfiguration(
    after = SupervisionAutoConfiguration.class,
    beforeName =
        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean({SupervisionTree.class, SupervisionTracker.class})
@ConditionalOnEnabledHealthIndicator("supervision")
public final class SupervisionHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "supervisionHealthIndicator")
  SupervisionHealthIndicator supervisionHealthIndicator(
      SupervisionTree tree, SupervisionTracker tracker) {
    return new SupervisionHealthIndicator(tree, tracker);
  }
}

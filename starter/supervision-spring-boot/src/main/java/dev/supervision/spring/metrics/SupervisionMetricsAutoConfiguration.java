package dev.supervision.spring.metrics;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.registry.Registry;
import dev.supervision.spring.SupervisionTracker;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the supervision meters, when Micrometer and a meter registry are present.
 */
@AutoConfiguration(
    after = SupervisionAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(
    type = "io.micrometer.core.instrument.MeterRegistry",
    value = {SupervisionTree.class, SupervisionTracker.class})
public final class SupervisionMetricsAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @SuppressWarnings({"rawtypes", "unchecked"})
  SupervisionMetrics supervisionMetrics(
      SupervisionTree tree,
      SupervisionTracker tracker,
      ObjectProvider<Registry> registries,
      ObjectProvider<LoadBalancer<?>> balancers) {
    return new SupervisionMetrics(
        tree,
        tracker,
        () -> (List<Registry<?, ?>>) (List) registries.orderedStream().toList(),
        () -> balancers.orderedStream().toList());
  }
}

package dev.supervision.spring.actuate;

import dev.supervision.hazelcast.ClusterNode;
import dev.supervision.spring.cluster.SupervisionClusterAutoConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code cluster} health contributor ({@code
 * management.health.cluster.enabled}, default true) of cluster mode, and its place in the {@code
 * readiness} group: when that group exists (Kubernetes, or {@code
 * management.endpoint.health.probes.enabled=true}), {@code cluster} is one of its members, so an
 * instance on a side of the cluster without quorum is taken out of service.
 */
@AutoConfiguration(
    after = SupervisionClusterAutoConfiguration.class,
    beforeName =
        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration",
    afterName =
        "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass(
    name = {
      "org.springframework.boot.health.contributor.HealthIndicator",
      "dev.supervision.hazelcast.ClusterNode"
    })
@ConditionalOnBean(ClusterNode.class)
@ConditionalOnEnabledHealthIndicator("cluster")
public final class ClusterHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "clusterHealthIndicator")
  ClusterHealthIndicator clusterHealthIndicator(ClusterNode cluster) {
    return new ClusterHealthIndicator(cluster);
  }

  /* Registered after Boot's probes post-processor (same order), so the readiness group exists. */
  @Bean
  @ConditionalOnMissingBean(name = "clusterInReadinessGroup")
  HealthEndpointGroupsPostProcessor clusterInReadinessGroup() {
    return ClusterHealthAutoConfiguration::withClusterInReadiness;
  }

  static HealthEndpointGroups withClusterInReadiness(HealthEndpointGroups groups) {
    HealthEndpointGroup readiness = groups.get("readiness");
    if (readiness == null || readiness.isMember("cluster")) {
      return groups;
    }
    Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
    for (String name : groups.getNames()) {
      HealthEndpointGroup group = groups.get(name);
      if (group != null) {
        named.put(name, name.equals("readiness") ? new WithCluster(group) : group);
      }
    }
    return HealthEndpointGroups.of(groups.getPrimary(), named);
  }

  private record WithCluster(HealthEndpointGroup group) implements HealthEndpointGroup {
    @Override
    public boolean isMember(String name) {
      return name.equals("cluster") || group.isMember(name);
    }

    @Override
    public boolean showComponents(SecurityContext context) {
      return group.showComponents(context);
    }

    @Override
    public boolean showDetails(SecurityContext context) {
      return group.showDetails(context);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return group.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return group.getHttpCodeStatusMapper();
    }

    @Override
    public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
      return group.getAdditionalPath();
    }
  }
}

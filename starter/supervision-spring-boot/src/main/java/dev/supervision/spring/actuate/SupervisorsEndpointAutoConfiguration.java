package dev.supervision.spring.actuate;

import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code supervisors} actuator endpoint, when it is available (exposed
 * and accessible).
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
      "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
    })
@ConditionalOnBean(SupervisionTree.class)
@ConditionalOnAvailableEndpoint(SupervisorsEndpoint.class)
public final class SupervisorsEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SupervisorsEndpoint supervisorsEndpoint(SupervisionTree tree) {
    return new SupervisorsEndpoint(tree);
  }
}

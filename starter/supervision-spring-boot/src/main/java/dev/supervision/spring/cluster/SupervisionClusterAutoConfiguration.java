package dev.supervision.spring.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.supervision.core.process.Node;
import dev.supervision.hazelcast.ClusterNode;
import dev.supervision.hazelcast.ClusterRegistry;
import dev.supervision.hazelcast.ProcessGroups;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import dev.supervision.spring.autoconfigure.SupervisionConfigurationException;
import dev.supervision.spring.autoconfigure.SupervisionProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of cluster mode ({@code supervision.cluster.enabled=true}, with {@code
 * dev.supervision:supervision-hazelcast} on the class path): the application's {@link Node} joined
 * to its other instances as a {@link ClusterNode}, with its {@link ClusterRegistry} and {@link
 * ProcessGroups} as beans.
 *
 * <table>
 *   <caption>Which Hazelcast member it joins</caption>
 *   <tr><th>the application has</th><th>the member</th></tr>
 *   <tr><td>a {@code HazelcastInstance} bean</td><td>that one, as is</td></tr>
 *   <tr><td>a Hazelcast {@code Config} bean, or a {@code hazelcast.yaml|yml|xml} (working
 *   directory or class path), {@code hazelcast.config} or {@code spring.hazelcast.config}</td>
 *   <td>the one Spring Boot's Hazelcast auto-configuration starts from it, as is (this
 *   configuration starts it when {@code spring-boot-hazelcast} is absent)</td></tr>
 *   <tr><td>none of these</td><td>one started from {@code supervision.cluster.*}: name, port,
 *   members, interface, failure detection, join timeout and the split-brain protection of the
 *   registry at {@code minimum-size}</td></tr>
 * </table>
 *
 * <p>Startup waits at most {@code supervision.cluster.join-timeout} for the members listed; a
 * member that finds none of them (unreachable, or of a cluster of another name) runs on its own,
 * and the {@code cluster} health contributor reports it. A port in use fails startup, naming the
 * key. Without {@code supervision-hazelcast} on the class path, setting {@code
 * supervision.cluster.enabled=true} fails startup saying what to add.
 */
@AutoConfiguration(
    after = SupervisionAutoConfiguration.class,
    beforeName = "org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration")
@ConditionalOnBooleanProperty("supervision.cluster.enabled")
@EnableConfigurationProperties(SupervisionProperties.class)
@Import({
  SupervisionClusterAutoConfiguration.ModuleMissing.class,
  SupervisionClusterAutoConfiguration.OwnMember.class,
  SupervisionClusterAutoConfiguration.ConfiguredMember.class,
  SupervisionClusterAutoConfiguration.Joined.class
})
public final class SupervisionClusterAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("dev.supervision.hazelcast.ClusterNode")
  static final class ModuleMissing {
    @Bean
    @SuppressWarnings("DoNotCallSuggester") // a bean that fails startup when created, on purpose
    Object supervisionClusterModule() {
      throw new SupervisionConfigurationException(
          "supervision.cluster.enabled is true but the cluster module is not on the class path",
          "Add the dependency dev.supervision:supervision-hazelcast, or set"
              + " supervision.cluster.enabled=false.");
    }
  }

  /* No Hazelcast configuration of the application's: a member from supervision.cluster.*. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ClusterNode.class, HazelcastInstance.class})
  @ConditionalOnMissingBean({HazelcastInstance.class, Config.class})
  @Conditional(NoHazelcastConfigFile.class)
  static final class OwnMember {
    @Bean(destroyMethod = "shutdown")
    HazelcastInstance hazelcastInstance(SupervisionProperties properties) {
      return MemberStart.start(MemberConfig.of(properties.cluster()), properties.cluster());
    }
  }

  /*
   * The application's Config bean or file, when Spring Boot's Hazelcast auto-configuration (which
   * would start the member from it) is absent.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ClusterNode.class, HazelcastInstance.class})
  @ConditionalOnMissingClass(
      "org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration")
  @ConditionalOnMissingBean(HazelcastInstance.class)
  @Conditional(ApplicationHazelcastConfig.class)
  static final class ConfiguredMember {
    @Bean(destroyMethod = "shutdown")
    HazelcastInstance hazelcastInstance(ObjectProvider<Config> config) {
      return MemberStart.start(config.getIfUnique(Config::load));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ClusterNode.class, HazelcastInstance.class})
  @ConditionalOnBean(Node.class)
  static final class Joined {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ClusterNode supervisionClusterNode(
        Node node, HazelcastInstance hazelcast, SupervisionProperties properties) {
      return MemberStart.join(node, hazelcast, MemberConfig.options(properties.cluster()));
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    ClusterRegistry supervisionClusterRegistry(ClusterNode cluster) {
      return cluster.registry();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    ProcessGroups supervisionProcessGroups(ClusterNode cluster) {
      return cluster.groups();
    }
  }
}

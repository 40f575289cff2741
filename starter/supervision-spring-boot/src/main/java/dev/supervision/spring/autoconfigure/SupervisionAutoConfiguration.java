package dev.supervision.spring.autoconfigure;

import dev.supervision.core.process.Node;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.spring.ApplicationExit;
import dev.supervision.spring.SupervisionTracker;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.autoconfigure.SupervisionProperties.SupervisorProperties;
import dev.supervision.spring.autoconfigure.SupervisionProperties.SupervisorType;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the application's supervision tree: a {@link Node} per context, the {@link
 * SupervisionTree} built from {@code supervision.*} and the supervised beans, a handle bean per
 * supervisor ({@link dev.supervision.core.supervisor.SupervisorRef} for a static one, {@link
 * dev.supervision.core.supervisor.DynamicSupervisorRef} for a dynamic one), and a {@link
 * SupervisionTracker} that health and metrics read.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "supervision.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SupervisionProperties.class)
public final class SupervisionAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  static SupervisionBeanRegistrar supervisionBeanRegistrar() {
    return new SupervisionBeanRegistrar();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Node supervisionNode(Environment environment) {
    return Node.create(environment.getProperty("spring.application.name", "application"));
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  SupervisionTracker supervisionTracker(Node node) {
    return new SupervisionTracker(node);
  }

  @Bean
  @ConditionalOnMissingBean
  ApplicationExit supervisionApplicationExit(ApplicationContext context) {
    return ApplicationExit.closeAndExit(context);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  SupervisedLoadBalancers supervisionLoadBalancers(
      SupervisionProperties properties, ConfigurableListableBeanFactory beanFactory) {
    return SupervisedLoadBalancers.create(properties, beanFactory);
  }

  @Bean
  @ConditionalOnMissingBean
  SupervisionTree supervisionTree(
      Node node,
      SupervisionProperties properties,
      ConfigurableListableBeanFactory beanFactory,
      SupervisedLoadBalancers balancers,
      ObjectProvider<ApplicationExit> exit,
      SupervisionTracker tracker) { // created first, so that it sees the tree's first events
    SupervisionProperties.Root root = properties.getRoot();
    SupervisionTree.Builder builder =
        SupervisionTree.builder(node)
            .root(root.getName(), root.getStrategy(), root.getMaxRestarts(), root.getWithin())
            .phase(properties.getShutdownPhase());
    Set<String> names = new LinkedHashSet<>();
    names.add(root.getName());
    for (Map.Entry<String, SupervisorProperties> e : properties.getSupervisors().entrySet()) {
      SupervisorProperties s = e.getValue();
      names.add(e.getKey());
      if (s.getType() == SupervisorType.DYNAMIC) {
        builder.dynamicSupervisor(
            e.getKey(), s.getParent(), s.getMaxRestarts(), s.getWithin(), s.getMaxChildren());
      } else {
        Strategy strategy = s.getStrategy();
        builder.supervisor(
            e.getKey(),
            s.getParent(),
            strategy == null ? Strategy.ONE_FOR_ONE : strategy,
            s.getMaxRestarts(),
            s.getWithin());
        builder.autoShutdown(e.getKey(), s.getAutoShutdown());
      }
      builder.supervisorAsChild(e.getKey(), s.getRestart(), s.isSignificant());
    }
    for (SupervisedLoadBalancers.Pool pool : balancers.pools()) {
      builder.child(pool.parent(), pool.pool().childSpec());
    }
    for (SupervisedBeans.BeanChild child :
        SupervisedBeans.collect(beanFactory, root.getName(), names)) {
      builder.child(child.supervisor(), child.spec());
    }
    if (root.getOnGiveUp() == SupervisionProperties.OnGiveUp.STOP_APPLICATION) {
      int code = root.getExitCode();
      builder.onGiveUp(
          reason ->
              Thread.ofPlatform()
                  .name("supervision-exit")
                  .start(() -> exit.getObject().exit(code)));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new SupervisionConfigurationException(
          "Invalid supervision tree: " + e.getMessage() + ".",
          "Fix the supervision.* properties or the supervised beans named in the message.");
    }
  }
}

package dev.supervision.spring.autoconfigure;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.supervisor.TreeSpec;
import dev.supervision.spring.ApplicationExit;
import dev.supervision.spring.SupervisionTracker;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.autoconfigure.SupervisionProperties.RootProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the application's supervision tree: a {@link Node} per context, the {@link
 * SupervisionTree} built from {@code supervision.*} and the supervised beans, a bean per named
 * supervisor, registry and load balancer (see {@link dev.supervision.spring.SupervisorNamed}), and
 * a {@link SupervisionTracker} that health and metrics read.
 *
 * <p>The properties map onto a core {@link dev.supervision.core.supervisor.TreeSpec}, which checks
 * the tree; what it refuses, and any key under {@code supervision.} that does not exist, fails
 * startup naming the property ({@link SupervisionConfigurationFailureAnalyzer}).
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "supervision.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SupervisionProperties.class)
@Import(SupervisionBeanRegistrar.class)
public final class SupervisionAutoConfiguration {

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
    List<SupervisionSpecs.Child> children = new ArrayList<>(balancers.pools());
    children.addAll(SupervisedBeans.collect(beanFactory));
    TreeSpec spec = SupervisionSpecs.tree(properties, children);
    RootProperties root = properties.root();
    Consumer<ExitReason> onGiveUp = reason -> {};
    if (root.onGiveUp() == SupervisionProperties.OnGiveUp.STOP_APPLICATION) {
      int code = root.exitCode();
      // Not a daemon (it would inherit that from the root's virtual thread): the JVM must wait
      // for it to call System.exit, not end with status 0 once the context's threads are gone.
      onGiveUp =
          reason ->
              Thread.ofPlatform()
                  .name("supervision-exit")
                  .daemon(false)
                  .start(() -> exit.getObject().exit(code));
    }
    return new SupervisionTree(node, spec, properties.shutdownPhase(), onGiveUp);
  }
}

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
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
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
 *
 * <p>When the root supervisor gives up with {@code supervision.root.on-give-up=report-down}, the
 * availability probe named by {@code supervision.health.probe} turns: readiness (by default) to
 * {@link ReadinessState#REFUSING_TRAFFIC}, liveness to {@link LivenessState#BROKEN}, through an
 * {@link AvailabilityChangeEvent}, so that {@code /actuator/health/readiness} or {@code liveness}
 * answers 503 as {@code /actuator/health} does.
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
      ApplicationContext context,
      SupervisionTracker tracker) { // created first, so that it sees the tree's first events
    List<SupervisionSpecs.Child> children = new ArrayList<>(balancers.pools());
    children.addAll(SupervisedBeans.collect(beanFactory));
    TreeSpec spec = SupervisionSpecs.tree(properties, children);
    RootProperties root = properties.root();
    Consumer<ExitReason> onGiveUp = reason -> {};
    AvailabilityState probeState = probeState(properties.health().probe());
    if (root.onGiveUp() == SupervisionProperties.OnGiveUp.REPORT_DOWN && probeState != null) {
      // On a thread of its own: listeners of the event must not hold up the root's exit.
      onGiveUp =
          reason ->
              Thread.ofVirtual()
                  .name("supervision-availability")
                  .start(() -> AvailabilityChangeEvent.publish(context, probeState));
    }
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

  /* The state the probe of supervision.health.probe takes when the root gives up; null: none. */
  private static @Nullable AvailabilityState probeState(SupervisionProperties.Probe probe) {
    return switch (probe) {
      case READINESS -> ReadinessState.REFUSING_TRAFFIC;
      case LIVENESS -> LivenessState.BROKEN;
      case NONE -> null;
    };
  }
}

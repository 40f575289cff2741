package dev.supervision.sample;

import dev.supervision.core.balance.LoadBalancers;
import dev.supervision.core.balance.PoolSpec;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.process.Node;
import dev.supervision.core.registry.Registry;
import dev.supervision.sample.chat.MessageWriter;
import dev.supervision.spring.SupervisedChildSpec;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registries and the writer pool of the application's supervision tree. The supervisors
 * themselves ({@code rooms}, {@code counters}) come from {@code supervision.supervisors.*} in
 * {@code application.properties}; the user manager is a {@code @SupervisedChild} bean.
 */
@Configuration(proxyBeanMethods = false)
class ProcessConfiguration {

  /** Rooms by name (unique keys): room servers register here through "via" names. */
  @Bean(destroyMethod = "close")
  Registry<String, @Nullable Object> roomRegistry(Node node) {
    return Registry.unique(node, "rooms");
  }

  /** Counters by name (unique keys). */
  @Bean(destroyMethod = "close")
  Registry<String, @Nullable Object> counterRegistry(Node node) {
    return Registry.unique(node, "counters");
  }

  /** Singleton services by name (unique keys): the user manager. */
  @Bean(destroyMethod = "close")
  Registry<String, @Nullable Object> serviceRegistry(Node node) {
    return Registry.unique(node, "services");
  }

  /** The round-robin pool of message writers, each a new {@link MessageWriter} bean. */
  @Bean(destroyMethod = "close")
  WorkerPool messageWriters(
      ObjectProvider<MessageWriter> writers, @Value("${chat.writers:4}") int size) {
    return LoadBalancers.supervisedPool(PoolSpec.of("message-writers", size, writers::getObject));
  }

  /** The pool's supervisor, a child of the root. */
  @Bean
  SupervisedChildSpec messageWritersChild(WorkerPool messageWriters) {
    return SupervisedChildSpec.ofRoot(messageWriters.childSpec());
  }
}

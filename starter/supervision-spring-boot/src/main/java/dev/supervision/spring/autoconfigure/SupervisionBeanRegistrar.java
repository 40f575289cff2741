package dev.supervision.spring.autoconfigure;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.process.Node;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.registry.RegistrySpec;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.SupervisorHandle;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.autoconfigure.SupervisionProperties.SupervisorType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/*
 * Registers one bean per named supervisor (the root included), named like it, whose instance is
 * the tree's handle on it: a SupervisorRef for a static supervisor, a DynamicSupervisorRef for a
 * dynamic one. Runs before any bean is created, so it binds the property names itself;
 * full validation happens when SupervisionProperties is bound. A name already taken by another
 * bean fails startup rather than silently leaving one of them out.
 */
final class SupervisionBeanRegistrar
    implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, BeanFactoryAware {

  private @Nullable Environment environment;
  private @Nullable BeanFactory beanFactory;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
    this.beanFactory = beanFactory;
  }

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
    SupervisionProperties properties =
        Binder.get(Objects.requireNonNull(environment))
            .bindOrCreate("supervision", SupervisionProperties.class);
    Map<String, Class<? extends SupervisorHandle>> supervisors = new LinkedHashMap<>();
    supervisors.put(properties.getRoot().getName(), SupervisorRef.class);
    properties
        .getSupervisors()
        .forEach(
            (name, s) ->
                supervisors.put(
                    name,
                    s.getType() == SupervisorType.DYNAMIC
                        ? DynamicSupervisorRef.class
                        : SupervisorRef.class));
    for (Map.Entry<String, Class<? extends SupervisorHandle>> e : supervisors.entrySet()) {
      String name = e.getKey();
      requireFree(
          registry, name, "supervisor", "supervision.supervisors.<name> or supervision.root.name");
      RootBeanDefinition definition = new RootBeanDefinition(e.getValue());
      definition.setInstanceSupplier(() -> ref(name));
      definition.setDescription("supervisor '" + name + "' of the supervision tree");
      registry.registerBeanDefinition(name, definition);
    }
    for (String name : properties.getRegistries().keySet()) {
      requireFree(registry, name, "registry", "supervision.registries.<name>");
      RootBeanDefinition definition = new RootBeanDefinition(Registry.class);
      definition.setInstanceSupplier(() -> createRegistry(name));
      definition.setDestroyMethodName("close");
      definition.setDescription("registry '" + name + "' of the supervision node");
      registry.registerBeanDefinition(name, definition);
    }
    properties
        .getLoadBalancers()
        .forEach(
            (name, b) -> {
              requireFree(registry, name, "load balancer", "supervision.load-balancers.<name>");
              boolean pool = b.getWorker() != null && !b.getWorker().isBlank();
              RootBeanDefinition definition =
                  new RootBeanDefinition(pool ? WorkerPool.class : LoadBalancer.class);
              definition.setInstanceSupplier(
                  () ->
                      Objects.requireNonNull(beanFactory)
                          .getBean(SupervisedLoadBalancers.class)
                          .get(name));
              definition.setDescription("load balancer '" + name + "' of the supervision tree");
              registry.registerBeanDefinition(name, definition);
            });
  }

  private static void requireFree(
      BeanDefinitionRegistry registry, String name, String what, String property) {
    if (registry.containsBeanDefinition(name)) {
      throw new SupervisionConfigurationException(
          "The "
              + what
              + " '"
              + name
              + "' is registered as a bean named '"
              + name
              + "', but a bean with that name already exists.",
          "Rename the " + what + " (" + property + ") or the other bean.");
    }
  }

  private Registry<?, ?> createRegistry(String name) {
    BeanFactory factory = Objects.requireNonNull(beanFactory);
    SupervisionProperties.RegistryProperties p =
        Objects.requireNonNull(
            factory.getBean(SupervisionProperties.class).getRegistries().get(name));
    RegistrySpec spec = RegistrySpec.of(name, p.getKeys());
    Integer partitions = p.getPartitions();
    if (partitions != null) {
      spec = spec.withPartitions(partitions);
    }
    return Registry.create(factory.getBean(Node.class), spec);
  }

  private SupervisorHandle ref(String name) {
    SupervisionTree tree = Objects.requireNonNull(beanFactory).getBean(SupervisionTree.class);
    SupervisorHandle ref = tree.supervisor(name);
    if (ref == null) {
      throw new IllegalStateException("supervisor '" + name + "' is not part of " + tree);
    }
    return ref;
  }
}

package dev.supervision.spring.autoconfigure;

import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.SupervisorRef;
import java.util.ArrayList;
import java.util.List;
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
 * the tree's SupervisorRef. Runs before any bean is created, so it binds the property names itself;
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
    List<String> names = new ArrayList<>();
    names.add(properties.getRoot().getName());
    names.addAll(properties.getSupervisors().keySet());
    for (String name : names) {
      if (registry.containsBeanDefinition(name)) {
        throw new SupervisionConfigurationException(
            "Supervisor '"
                + name
                + "' is registered as a bean named '"
                + name
                + "', but a bean with that name already exists.",
            "Rename the supervisor (supervision.supervisors.<name> or supervision.root.name) or the"
                + " other bean.");
      }
      RootBeanDefinition definition = new RootBeanDefinition(SupervisorRef.class);
      definition.setInstanceSupplier(() -> ref(name));
      definition.setDescription("supervisor '" + name + "' of the supervision tree");
      registry.registerBeanDefinition(name, definition);
    }
  }

  private SupervisorRef ref(String name) {
    SupervisionTree tree = Objects.requireNonNull(beanFactory).getBean(SupervisionTree.class);
    SupervisorRef ref = tree.supervisor(name);
    if (ref == null) {
      throw new IllegalStateException("supervisor '" + name + "' is not part of " + tree);
    }
    return ref;
  }
}

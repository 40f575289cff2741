package dev.supervision.spring.autoconfigure;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.process.Node;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.SupervisorHandle;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.spring.LoadBalancerNamed;
import dev.supervision.spring.RegistryNamed;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.SupervisorNamed;
import dev.supervision.spring.autoconfigure.SupervisionProperties.SupervisorType;
import java.lang.annotation.Annotation;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/*
 * Registers a bean per named part of the tree: per supervisor (the root included) the tree's handle
 * on it, a SupervisorRef or a DynamicSupervisorRef; per registry the Registry; per load balancer
 * the WorkerPool or LoadBalancer. Each bean is named in a namespace of its own
 * ("supervision.supervisor.rooms", "supervision.registry.rooms", "supervision.load-balancer.rooms"),
 * so that it never takes the name of an application bean, and carries a qualifier with the part's
 * name (@SupervisorNamed("rooms"), @RegistryNamed, @LoadBalancerNamed) through which it is
 * injected. Imported by SupervisionAutoConfiguration, so it runs while bean definitions are read,
 * before any bean exists: it reads the names from the Environment itself, after checking that every
 * supervision.* key there is one the properties know (SupervisionKeys).
 *
 * Spring Framework 7's BeanRegistrar would be the plainer mechanism, but its registry cannot attach
 * a qualifier to a bean definition; an ImportBeanDefinitionRegistrar is its equal that can.
 */
final class SupervisionBeanRegistrar implements ImportBeanDefinitionRegistrar {
  private static final String SUPERVISOR = "supervision.supervisor.";
  private static final String REGISTRY = "supervision.registry.";
  private static final String LOAD_BALANCER = "supervision.load-balancer.";

  private final Environment environment;
  private final BeanFactory beanFactory;

  SupervisionBeanRegistrar(Environment environment, BeanFactory beanFactory) {
    this.environment = environment;
    this.beanFactory = beanFactory;
  }

  /* The bean name of supervisor `name`. */
  static String supervisorBeanName(String name) {
    return SUPERVISOR + name;
  }

  /* The bean name of registry `name`. */
  static String registryBeanName(String name) {
    return REGISTRY + name;
  }

  /* The bean name of load balancer `name`. */
  static String loadBalancerBeanName(String name) {
    return LOAD_BALANCER + name;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
    SupervisionKeys.requireKnown(environment);
    SupervisionProperties properties =
        Binder.get(environment).bindOrCreate("supervision", SupervisionProperties.class);
    String root = properties.root().name();
    register(
        registry,
        supervisorBeanName(root),
        SupervisorRef.class,
        SupervisorNamed.class,
        root,
        () -> supervisor(root),
        "root supervisor '" + root + "' of the supervision tree");
    properties.supervisors().entrySet().stream()
        .filter(e -> !e.getKey().equals(root)) // the tree refuses it, naming the property
        .forEach(
            e ->
                register(
                    registry,
                    supervisorBeanName(e.getKey()),
                    e.getValue().type() == SupervisorType.DYNAMIC
                        ? DynamicSupervisorRef.class
                        : SupervisorRef.class,
                    SupervisorNamed.class,
                    e.getKey(),
                    () -> supervisor(e.getKey()),
                    "supervisor '" + e.getKey() + "' of the supervision tree"));
    properties
        .registries()
        .forEach(
            (name, r) -> {
              RootBeanDefinition definition =
                  register(
                      registry,
                      registryBeanName(name),
                      Registry.class,
                      RegistryNamed.class,
                      name,
                      () -> createRegistry(name),
                      "registry '" + name + "' of the supervision node");
              definition.setDestroyMethodName("close");
            });
    properties
        .loadBalancers()
        .forEach(
            (name, b) ->
                register(
                    registry,
                    loadBalancerBeanName(name),
                    b.worker() != null && !b.worker().isBlank()
                        ? WorkerPool.class
                        : LoadBalancer.class,
                    LoadBalancerNamed.class,
                    name,
                    () -> beanFactory.getBean(SupervisedLoadBalancers.class).get(name),
                    "load balancer '" + name + "' of the supervision tree"));
  }

  private static RootBeanDefinition register(
      BeanDefinitionRegistry registry,
      String beanName,
      Class<?> type,
      Class<? extends Annotation> qualifier,
      String name,
      Supplier<?> instance,
      String description) {
    RootBeanDefinition definition = new RootBeanDefinition(type);
    definition.setInstanceSupplier(instance);
    definition.addQualifier(new AutowireCandidateQualifier(qualifier, name));
    definition.setDescription(description);
    registry.registerBeanDefinition(beanName, definition);
    return definition;
  }

  private Registry<?, ?> createRegistry(String name) {
    SupervisionProperties properties = beanFactory.getBean(SupervisionProperties.class);
    return Registry.create(
        beanFactory.getBean(Node.class),
        SupervisionSpecs.registry(name, Objects.requireNonNull(properties.registries().get(name))));
  }

  private SupervisorHandle supervisor(String name) {
    SupervisionTree tree = beanFactory.getBean(SupervisionTree.class);
    SupervisorHandle handle = tree.supervisor(name);
    if (handle == null) {
      throw new IllegalStateException("supervisor '" + name + "' is not part of " + tree);
    }
    return handle;
  }
}

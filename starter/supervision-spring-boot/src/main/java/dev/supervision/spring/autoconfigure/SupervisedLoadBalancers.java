package dev.supervision.spring.autoconfigure;

import static dev.supervision.spring.autoconfigure.SupervisionSpecs.LOAD_BALANCERS;
import static dev.supervision.spring.autoconfigure.SupervisionSpecs.REGISTRIES;
import static dev.supervision.spring.autoconfigure.SupervisionSpecs.mapping;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.LoadBalancers;
import dev.supervision.core.balance.PoolSpec;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.Server;
import dev.supervision.spring.autoconfigure.SupervisionProperties.LoadBalancerProperties;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The load balancers declared under {@code supervision.load-balancers}, each exposed as a bean
 * qualified with its name ({@link dev.supervision.spring.LoadBalancerNamed}): pools of prototype
 * {@link Server} beans, whose supervisors run in the tree, and balancers over a duplicate registry
 * key. Closes them all when the context closes.
 */
public final class SupervisedLoadBalancers implements AutoCloseable {

  private final Map<String, LoadBalancer<?>> balancers;
  private final List<SupervisionSpecs.Child> pools;

  private SupervisedLoadBalancers(
      Map<String, LoadBalancer<?>> balancers, List<SupervisionSpecs.Child> pools) {
    this.balancers = balancers;
    this.pools = pools;
  }

  static SupervisedLoadBalancers create(
      SupervisionProperties properties, ConfigurableListableBeanFactory beanFactory) {
    Map<String, LoadBalancer<?>> balancers = new LinkedHashMap<>();
    List<SupervisionSpecs.Child> pools = new ArrayList<>();
    try {
      properties
          .loadBalancers()
          .forEach(
              (name, b) -> {
                String key = LOAD_BALANCERS + "." + name;
                String worker = b.worker();
                boolean pool = hasText(worker);
                if (pool == (hasText(b.registry()) || hasText(b.key()))) {
                  throw new SupervisionConfigurationException(
                      key
                          + " needs either '.worker' (a prototype Server bean) with '.pool-size',"
                          + " or '.registry' and '.key' (a duplicate registry key), not "
                          + (pool ? "both." : "neither."),
                      "Set " + key + ".worker and .pool-size, or .registry and .key.");
                }
                if (worker != null && pool) {
                  WorkerPool<Object> p = pool(beanFactory, key, name, worker, b);
                  pools.add(
                      new SupervisionSpecs.Child(
                          b.parent() == null ? "" : b.parent(),
                          p.childSpec(),
                          key,
                          key + ".parent"));
                  balancers.put(name, p);
                } else {
                  balancers.put(name, overKey(properties, beanFactory, key, b));
                }
              });
    } catch (RuntimeException e) {
      balancers.values().forEach(LoadBalancer::close);
      throw e;
    }
    return new SupervisedLoadBalancers(balancers, pools);
  }

  private static WorkerPool<Object> pool(
      ConfigurableListableBeanFactory beanFactory,
      String key,
      String name,
      String worker,
      LoadBalancerProperties b) {
    Integer size = b.poolSize();
    if (size == null) {
      throw new SupervisionConfigurationException(
          key + ".pool-size is not set; a pool needs a number of workers.",
          "Set " + key + ".pool-size to the number of workers.");
    }
    requireWorker(beanFactory, key + ".worker", worker);
    PoolSpec<Object> spec =
        mapping(
            key + ".pool-size",
            () -> PoolSpec.of(name, size, SupervisedBeans.serverBean(beanFactory, worker)));
    PoolSpec<Object> configured =
        mapping(
            key, () -> spec.withStrategy(b.strategy()).withIntensity(b.maxRestarts(), b.within()));
    return LoadBalancers.supervisedPool(configured);
  }

  private static LoadBalancer<Object> overKey(
      SupervisionProperties properties,
      ConfigurableListableBeanFactory beanFactory,
      String key,
      LoadBalancerProperties b) {
    String registryName = b.registry();
    String registryKey = b.key();
    if (registryName == null
        || registryName.isBlank()
        || registryKey == null
        || registryKey.isBlank()) {
      throw new SupervisionConfigurationException(
          key + " over a registry needs both '.registry' and '.key'.",
          "Set " + key + ".registry to a duplicate registry and " + key + ".key to its key.");
    }
    if (!properties.registries().containsKey(registryName)) {
      throw new SupervisionConfigurationException(
          key
              + ".registry is '"
              + registryName
              + "', which is not a registry; declared: "
              + properties.registries().keySet()
              + ".",
          "Declare it with " + REGISTRIES + "." + registryName + ".keys=duplicate.");
    }
    if (b.poolSize() != null) {
      throw new SupervisionConfigurationException(
          key + ".pool-size applies only to a pool ('.worker'), not to a registry key.",
          "Remove " + key + ".pool-size.");
    }
    @SuppressWarnings("unchecked")
    Registry<Object, ?> registry =
        beanFactory.getBean(
            SupervisionBeanRegistrar.registryBeanName(registryName), Registry.class);
    return mapping(
        key + ".registry", () -> LoadBalancers.overKey(registry, registryKey, b.strategy()));
  }

  private static void requireWorker(
      ConfigurableListableBeanFactory beanFactory, String key, String worker) {
    if (!beanFactory.containsBean(worker)) {
      throw new SupervisionConfigurationException(
          key + " is '" + worker + "', but there is no bean with that name.",
          "Set " + key + " to the name of a prototype-scoped bean implementing Server<M>.");
    }
    if (!beanFactory.isTypeMatch(worker, Server.class)) {
      throw new SupervisionConfigurationException(
          key
              + " is '"
              + worker
              + "', a bean that does not implement "
              + Server.class.getName()
              + ".",
          "Set " + key + " to the name of a prototype-scoped bean implementing Server<M>.");
    }
    if (!beanFactory.isPrototype(worker)) {
      throw new SupervisionConfigurationException(
          key
              + " is '"
              + worker
              + "', a bean that is not prototype-scoped; every pool worker and every restart needs"
              + " a new instance.",
          "Annotate the bean '"
              + worker
              + "' with @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE).");
    }
  }

  private static boolean hasText(@Nullable String s) {
    return s != null && !s.isBlank();
  }

  /** The load balancer named {@code name}. */
  LoadBalancer<?> get(String name) {
    LoadBalancer<?> balancer = balancers.get(name);
    if (balancer == null) {
      throw new IllegalStateException("no load balancer '" + name + "'");
    }
    return balancer;
  }

  /** Every declared load balancer by name, in declaration order. */
  public Map<String, LoadBalancer<?>> balancers() {
    return Collections.unmodifiableMap(balancers);
  }

  /* The pools, as children of the tree. */
  List<SupervisionSpecs.Child> pools() {
    return pools;
  }

  /** Closes every balancer, in reverse declaration order. */
  @Override
  public void close() {
    List<LoadBalancer<?>> all = new ArrayList<>(balancers.values());
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).close();
    }
  }
}

package dev.supervision.spring.autoconfigure;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.LoadBalancers;
import dev.supervision.core.balance.PoolSpec;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.Server;
import dev.supervision.spring.autoconfigure.SupervisionProperties.LoadBalancerProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The load balancers declared under {@code supervision.load-balancers}, each exposed as a bean of
 * its name: pools of prototype {@link Server} beans, whose supervisors run in the tree, and
 * balancers over a duplicate registry key. Closes them all when the context closes.
 */
public final class SupervisedLoadBalancers implements AutoCloseable {

  /**
   * A pool and the supervisor its own supervisor runs under.
   *
   * @param parent the parent supervisor's name; empty for the root
   * @param pool the pool
   */
  record Pool(String parent, WorkerPool<?> pool) {}

  private final Map<String, LoadBalancer<?>> balancers;
  private final List<Pool> pools;

  private SupervisedLoadBalancers(Map<String, LoadBalancer<?>> balancers, List<Pool> pools) {
    this.balancers = balancers;
    this.pools = pools;
  }

  static SupervisedLoadBalancers create(
      SupervisionProperties properties, ConfigurableListableBeanFactory beanFactory) {
    Map<String, LoadBalancer<?>> balancers = new LinkedHashMap<>();
    List<Pool> pools = new ArrayList<>();
    for (Map.Entry<String, LoadBalancerProperties> e : properties.getLoadBalancers().entrySet()) {
      String name = e.getKey();
      LoadBalancerProperties b = e.getValue();
      String worker = b.getWorker();
      if (worker != null && !worker.isBlank()) {
        requireWorker(beanFactory, name, worker);
        PoolSpec<Object> spec =
            PoolSpec.of(
                    name,
                    Objects.requireNonNull(b.getPoolSize()),
                    SupervisedBeans.serverBean(beanFactory, worker))
                .withStrategy(b.getStrategy())
                .withIntensity(b.getMaxRestarts(), b.getWithin());
        WorkerPool<Object> pool = LoadBalancers.supervisedPool(spec);
        String parent = b.getParent();
        pools.add(new Pool(parent == null ? "" : parent, pool));
        balancers.put(name, pool);
      } else {
        String registryName = Objects.requireNonNull(b.getRegistry());
        @SuppressWarnings("unchecked")
        Registry<Object, ?> registry = beanFactory.getBean(registryName, Registry.class);
        LoadBalancer<Object> balancer =
            LoadBalancers.overKey(registry, Objects.requireNonNull(b.getKey()), b.getStrategy());
        balancers.put(name, balancer);
      }
    }
    return new SupervisedLoadBalancers(balancers, pools);
  }

  private static void requireWorker(
      ConfigurableListableBeanFactory beanFactory, String name, String worker) {
    String key = "supervision.load-balancers." + name + ".worker";
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
    return java.util.Collections.unmodifiableMap(balancers);
  }

  List<Pool> pools() {
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

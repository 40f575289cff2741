package dev.supervision.spring.autoconfigure;

import dev.supervision.core.balance.BalanceStrategy;
import dev.supervision.core.registry.Keys;
import dev.supervision.core.supervisor.AutoShutdown;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.spring.SupervisionTree;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of the application's supervision tree ({@code supervision.*}).
 *
 * <p>Validated when bound: a negative {@code max-restarts}, a non-positive {@code within}, an
 * unknown or cyclic {@code parent} and the like fail startup with the property's name and what is
 * allowed.
 */
@ConfigurationProperties("supervision")
public class SupervisionProperties implements Validator {

  /** Whether to run the application's supervision tree. */
  private boolean enabled = true;

  /** Root supervisor of the application's tree. */
  private final Root root = new Root();

  /**
   * Supervisors by name. Each one becomes a bean of that name (a SupervisorRef; a
   * DynamicSupervisorRef for type dynamic); its children start in declaration order, before the
   * supervised beans.
   */
  private Map<String, SupervisorProperties> supervisors = new LinkedHashMap<>();

  /** Registries by name. Each one becomes a bean of that name (a Registry). */
  private Map<String, RegistryProperties> registries = new LinkedHashMap<>();

  /**
   * Load balancers by name, over a pool of supervised workers or over a duplicate registry key.
   * Each one becomes a bean of that name (a LoadBalancer; a WorkerPool for a pool).
   */
  private Map<String, LoadBalancerProperties> loadBalancers = new LinkedHashMap<>();

  /**
   * Lifecycle phase in which the tree starts and stops. The default, below the web server's, starts
   * the processes before the server takes traffic and stops them after it has drained.
   */
  private int shutdownPhase = SupervisionTree.DEFAULT_PHASE;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Root getRoot() {
    return root;
  }

  public Map<String, SupervisorProperties> getSupervisors() {
    return supervisors;
  }

  public void setSupervisors(Map<String, SupervisorProperties> supervisors) {
    this.supervisors = supervisors;
  }

  public Map<String, RegistryProperties> getRegistries() {
    return registries;
  }

  public void setRegistries(Map<String, RegistryProperties> registries) {
    this.registries = registries;
  }

  public Map<String, LoadBalancerProperties> getLoadBalancers() {
    return loadBalancers;
  }

  public void setLoadBalancers(Map<String, LoadBalancerProperties> loadBalancers) {
    this.loadBalancers = loadBalancers;
  }

  public int getShutdownPhase() {
    return shutdownPhase;
  }

  public void setShutdownPhase(int shutdownPhase) {
    this.shutdownPhase = shutdownPhase;
  }

  @Override
  public boolean supports(Class<?> clazz) {
    return SupervisionProperties.class.isAssignableFrom(clazz);
  }

  @Override
  public void validate(Object target, Errors errors) {
    SupervisionProperties p = (SupervisionProperties) target;
    Root r = p.getRoot();
    String rootName = r.getName();
    if (rootName.isBlank()) {
      errors.rejectValue("root.name", "blank", "supervision.root.name must not be blank");
    }
    intensity(errors, "root", r.getMaxRestarts(), r.getWithin());
    Set<String> names = p.getSupervisors().keySet();
    for (Map.Entry<String, SupervisorProperties> e : p.getSupervisors().entrySet()) {
      String name = e.getKey();
      SupervisorProperties s = e.getValue();
      String path = "supervisors[" + name + "]";
      String key = "supervision.supervisors." + name;
      if (name.equals(rootName)) {
        errors.rejectValue(
            path,
            "duplicate",
            key
                + " has the root supervisor's name ('"
                + rootName
                + "'); rename it or set supervision.root.name");
      }
      intensity(errors, path, s.getMaxRestarts(), s.getWithin());
      if (s.getMaxChildren() < 0) {
        errors.rejectValue(
            path + ".maxChildren",
            "min",
            key + ".max-children must be >= 0 (0 = no limit) but was " + s.getMaxChildren());
      }
      if (s.getType() == SupervisorType.STATIC && s.getMaxChildren() != 0) {
        errors.rejectValue(
            path + ".maxChildren",
            "static",
            key + ".max-children applies only to type 'dynamic'; set " + key + ".type=dynamic");
      }
      Strategy strategy = s.getStrategy();
      if (s.getType() == SupervisorType.DYNAMIC
          && strategy != null
          && strategy != Strategy.ONE_FOR_ONE) {
        errors.rejectValue(
            path + ".strategy",
            "dynamic",
            key + ".strategy must be one-for-one for a dynamic supervisor but was " + strategy);
      }
      significance(errors, p, path, key, s, rootName);
      String parent = s.getParent();
      if (parent != null && !parent.isBlank() && !parent.equals(rootName)) {
        if (!names.contains(parent)) {
          errors.rejectValue(
              path + ".parent",
              "unknown",
              key
                  + ".parent is '"
                  + parent
                  + "', which is not a supervisor; allowed: "
                  + allowedParents(rootName, names, name));
        }
      }
    }
    validateRegistries(p, errors);
    validateLoadBalancers(p, errors, rootName);
    validateBeanNames(p, errors, rootName);
    for (String name : names) {
      String cycle = cycleFrom(p, name, rootName);
      if (cycle != null) {
        errors.rejectValue(
            "supervisors[" + name + "].parent",
            "cycle",
            "supervision.supervisors."
                + name
                + ".parent forms a cycle: "
                + cycle
                + "; one of them must have the root (or no parent) as parent");
        break;
      }
    }
  }

  /* OTP's rules: auto-shutdown only on a static supervisor; a significant child is not permanent
   * and its parent has an auto-shutdown. */
  private static void significance(
      Errors errors,
      SupervisionProperties p,
      String path,
      String key,
      SupervisorProperties s,
      String rootName) {
    if (s.getType() == SupervisorType.DYNAMIC && s.getAutoShutdown() != AutoShutdown.NEVER) {
      errors.rejectValue(
          path + ".autoShutdown",
          "dynamic",
          key + ".auto-shutdown applies only to type 'static'; a dynamic supervisor has none");
    }
    if (!s.isSignificant()) {
      return;
    }
    if (s.getRestart() == Restart.PERMANENT) {
      errors.rejectValue(
          path + ".restart",
          "significant",
          key
              + ".significant=true needs restart 'transient' or 'temporary' (a permanent child"
              + " would be restarted whenever it shut down), but restart is 'permanent'");
    }
    String parent = s.getParent();
    String parentName = parent == null || parent.isBlank() ? rootName : parent;
    SupervisorProperties ps = p.getSupervisors().get(parentName);
    if (parentName.equals(rootName) || (ps != null && ps.getAutoShutdown() == AutoShutdown.NEVER)) {
      errors.rejectValue(
          path + ".significant",
          "autoShutdown",
          key
              + ".significant=true needs a parent with an auto-shutdown, but '"
              + parentName
              + "' has none; set supervision.supervisors.<parent>.auto-shutdown to"
              + " any-significant or all-significant (the root has none)");
    }
  }

  private static void validateRegistries(SupervisionProperties p, Errors errors) {
    for (Map.Entry<String, RegistryProperties> e : p.getRegistries().entrySet()) {
      Integer partitions = e.getValue().getPartitions();
      if (partitions != null && partitions < 1) {
        errors.rejectValue(
            "registries[" + e.getKey() + "].partitions",
            "min",
            "supervision.registries."
                + e.getKey()
                + ".partitions must be >= 1 but was "
                + partitions);
      }
    }
  }

  private static void validateLoadBalancers(
      SupervisionProperties p, Errors errors, String rootName) {
    for (Map.Entry<String, LoadBalancerProperties> e : p.getLoadBalancers().entrySet()) {
      String name = e.getKey();
      LoadBalancerProperties b = e.getValue();
      String path = "loadBalancers[" + name + "]";
      String key = "supervision.load-balancers." + name;
      boolean pool = hasText(b.getWorker());
      boolean overKey = hasText(b.getRegistry()) || hasText(b.getKey());
      if (pool == overKey) {
        errors.rejectValue(
            path,
            "source",
            key
                + " needs either '.worker' (a prototype Server bean) with '.pool-size', or"
                + " '.registry' and '.key' (a duplicate registry key), not "
                + (pool ? "both" : "neither"));
        continue;
      }
      if (pool) {
        Integer size = b.getPoolSize();
        if (size == null || size <= 0) {
          errors.rejectValue(
              path + ".poolSize",
              "min",
              key + ".pool-size must be > 0 but was " + (size == null ? "not set" : size));
        }
        String parent = b.getParent();
        if (hasText(parent)
            && !rootName.equals(parent)
            && !p.getSupervisors().containsKey(parent)) {
          errors.rejectValue(
              path + ".parent",
              "unknown",
              key
                  + ".parent is '"
                  + parent
                  + "', which is not a supervisor; allowed: "
                  + allowedParents(rootName, p.getSupervisors().keySet(), ""));
        }
        intensity(errors, path, b.getMaxRestarts(), b.getWithin());
      } else {
        String registry = b.getRegistry();
        if (!hasText(registry) || !hasText(b.getKey())) {
          errors.rejectValue(
              path, "key", key + " over a registry needs both '.registry' and '.key'");
        } else if (!p.getRegistries().containsKey(registry)) {
          errors.rejectValue(
              path + ".registry",
              "unknown",
              key
                  + ".registry is '"
                  + registry
                  + "', which is not a registry; allowed: "
                  + p.getRegistries().keySet());
        } else if (p.getRegistries().get(registry).getKeys() != Keys.DUPLICATE) {
          errors.rejectValue(
              path + ".registry",
              "unique",
              key
                  + ".registry '"
                  + registry
                  + "' has unique keys; set supervision.registries."
                  + registry
                  + ".keys=duplicate");
        }
        if (b.getPoolSize() != null) {
          errors.rejectValue(
              path + ".poolSize",
              "pool",
              key + ".pool-size applies only to a pool ('.worker'), not to a registry key");
        }
      }
    }
  }

  /* Every supervisor, registry and load balancer becomes a bean named like it. */
  private static void validateBeanNames(SupervisionProperties p, Errors errors, String rootName) {
    Map<String, String> seen = new LinkedHashMap<>();
    seen.put(rootName, "supervision.root.name");
    p.getSupervisors().keySet().forEach(n -> seen.putIfAbsent(n, "supervision.supervisors." + n));
    for (String n : p.getRegistries().keySet()) {
      String other = seen.putIfAbsent(n, "supervision.registries." + n);
      if (other != null) {
        errors.rejectValue(
            "registries[" + n + "]",
            "duplicate",
            "supervision.registries." + n + " has the same bean name as " + other);
      }
    }
    for (String n : p.getLoadBalancers().keySet()) {
      String other = seen.putIfAbsent(n, "supervision.load-balancers." + n);
      if (other != null) {
        errors.rejectValue(
            "loadBalancers[" + n + "]",
            "duplicate",
            "supervision.load-balancers." + n + " has the same bean name as " + other);
      }
    }
  }

  private static boolean hasText(@Nullable String s) {
    return s != null && !s.isBlank();
  }

  private static String allowedParents(String rootName, Set<String> names, String self) {
    Set<String> allowed = new LinkedHashSet<>();
    allowed.add(rootName);
    for (String n : names) {
      if (!n.equals(self)) {
        allowed.add(n);
      }
    }
    return String.join(", ", allowed);
  }

  private static @Nullable String cycleFrom(
      SupervisionProperties p, String start, String rootName) {
    LinkedHashSet<String> seen = new LinkedHashSet<>();
    String current = start;
    while (current != null && !current.isBlank() && !current.equals(rootName)) {
      if (!seen.add(current)) {
        if (!current.equals(start)) {
          return null; // reported from a member of the cycle
        }
        return String.join(" -> ", seen) + " -> " + current;
      }
      SupervisorProperties s = p.getSupervisors().get(current);
      current = s == null ? null : s.getParent();
    }
    return null;
  }

  private static void intensity(Errors errors, String path, int maxRestarts, Duration within) {
    String key =
        "supervision."
            + path.replace("supervisors[", "supervisors.")
                .replace("loadBalancers[", "load-balancers.")
                .replace("]", "");
    if (maxRestarts < 0) {
      errors.rejectValue(
          path + ".maxRestarts", "min", key + ".max-restarts must be >= 0 but was " + maxRestarts);
    }
    if (within.isNegative() || within.isZero()) {
      errors.rejectValue(
          path + ".within",
          "positive",
          key + ".within must be a positive duration (e.g. 5s) but was " + within);
    }
  }

  /** What happens when the root supervisor gives up. */
  public enum OnGiveUp {
    /** Health turns DOWN; the application keeps running. */
    REPORT_DOWN,
    /** The application context closes and the JVM exits with {@code supervision.root.exit-code}. */
    STOP_APPLICATION
  }

  /** Kind of supervisor. */
  public enum SupervisorType {
    /** A supervisor with a fixed, ordered list of children and a restart strategy. */
    STATIC,
    /** A one-for-one supervisor of children started at run time. */
    DYNAMIC
  }

  /** The root supervisor. */
  public static class Root {

    /** Name of the root supervisor, as shown in health, the supervisors endpoint and metrics. */
    private String name = "root";

    /** Restart strategy of the root supervisor. */
    private Strategy strategy = Strategy.ONE_FOR_ONE;

    /** Maximum number of restarts within the 'within' window before the root gives up. */
    private int maxRestarts = 3;

    /** Window in which restarts are counted against 'max-restarts'. */
    private Duration within = Duration.ofSeconds(5);

    /** What to do when the root supervisor gives up. */
    private OnGiveUp onGiveUp = OnGiveUp.REPORT_DOWN;

    /** Exit code of the JVM when the root gives up and 'on-give-up' is 'stop-application'. */
    private int exitCode = 1;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public Strategy getStrategy() {
      return strategy;
    }

    public void setStrategy(Strategy strategy) {
      this.strategy = strategy;
    }

    public int getMaxRestarts() {
      return maxRestarts;
    }

    public void setMaxRestarts(int maxRestarts) {
      this.maxRestarts = maxRestarts;
    }

    public Duration getWithin() {
      return within;
    }

    public void setWithin(Duration within) {
      this.within = within;
    }

    public OnGiveUp getOnGiveUp() {
      return onGiveUp;
    }

    public void setOnGiveUp(OnGiveUp onGiveUp) {
      this.onGiveUp = onGiveUp;
    }

    public int getExitCode() {
      return exitCode;
    }

    public void setExitCode(int exitCode) {
      this.exitCode = exitCode;
    }
  }

  /** One declared supervisor. */
  public static class SupervisorProperties {

    /**
     * Kind of supervisor: 'static' (fixed children) or 'dynamic' (children started at run time).
     */
    private SupervisorType type = SupervisorType.STATIC;

    /**
     * Restart strategy of a static supervisor: one-for-one, one-for-all or rest-for-one. Defaults
     * to one-for-one, the only strategy of a dynamic supervisor.
     */
    private @Nullable Strategy strategy;

    /** Maximum number of restarts within the 'within' window before the supervisor gives up. */
    private int maxRestarts = 3;

    /** Window in which restarts are counted against 'max-restarts'. */
    private Duration within = Duration.ofSeconds(5);

    /** Name of the parent supervisor. Defaults to the root supervisor. */
    private @Nullable String parent;

    /** Maximum number of children of a dynamic supervisor; 0 for no limit. */
    private int maxChildren;

    /**
     * Restart type of the supervisor as a child of its parent: 'permanent' (always restarted),
     * 'transient' (restarted only after an abnormal exit, so not after an auto-shutdown) or
     * 'temporary' (never restarted).
     */
    private Restart restart = Restart.PERMANENT;

    /**
     * Whether the supervisor is a significant child of its parent, whose auto-shutdown then counts
     * it. Requires restart 'transient' or 'temporary' and a parent with an auto-shutdown.
     */
    private boolean significant;

    /**
     * When a static supervisor shuts itself down: 'never', 'any-significant' (once any significant
     * child has ended without being restarted) or 'all-significant' (once all of them have).
     */
    private AutoShutdown autoShutdown = AutoShutdown.NEVER;

    public SupervisorType getType() {
      return type;
    }

    public void setType(SupervisorType type) {
      this.type = type;
    }

    public @Nullable Strategy getStrategy() {
      return strategy;
    }

    public void setStrategy(@Nullable Strategy strategy) {
      this.strategy = strategy;
    }

    public int getMaxRestarts() {
      return maxRestarts;
    }

    public void setMaxRestarts(int maxRestarts) {
      this.maxRestarts = maxRestarts;
    }

    public Duration getWithin() {
      return within;
    }

    public void setWithin(Duration within) {
      this.within = within;
    }

    public @Nullable String getParent() {
      return parent;
    }

    public void setParent(@Nullable String parent) {
      this.parent = parent;
    }

    public int getMaxChildren() {
      return maxChildren;
    }

    public void setMaxChildren(int maxChildren) {
      this.maxChildren = maxChildren;
    }

    public Restart getRestart() {
      return restart;
    }

    public void setRestart(Restart restart) {
      this.restart = restart;
    }

    public boolean isSignificant() {
      return significant;
    }

    public void setSignificant(boolean significant) {
      this.significant = significant;
    }

    public AutoShutdown getAutoShutdown() {
      return autoShutdown;
    }

    public void setAutoShutdown(AutoShutdown autoShutdown) {
      this.autoShutdown = autoShutdown;
    }
  }

  /** One declared registry. */
  public static class RegistryProperties {

    /** Whether a key names one process ('unique') or a group of processes ('duplicate'). */
    private Keys keys = Keys.UNIQUE;

    /** Number of partitions the entries are spread over. Defaults to the number of processors. */
    private @Nullable Integer partitions;

    public Keys getKeys() {
      return keys;
    }

    public void setKeys(Keys keys) {
      this.keys = keys;
    }

    public @Nullable Integer getPartitions() {
      return partitions;
    }

    public void setPartitions(@Nullable Integer partitions) {
      this.partitions = partitions;
    }
  }

  /** One declared load balancer. */
  public static class LoadBalancerProperties {

    /** How workers are picked: 'round-robin' or 'least-loaded'. */
    private BalanceStrategy strategy = BalanceStrategy.ROUND_ROBIN;

    /** Number of workers of a pool. Required with 'worker'. */
    private @Nullable Integer poolSize;

    /** Bean name of a prototype-scoped Server bean; each pool worker is a new instance of it. */
    private @Nullable String worker;

    /** Name of a duplicate registry (under supervision.registries) to balance over. */
    private @Nullable String registry;

    /** Registry key whose registered processes are balanced over. */
    private @Nullable String key;

    /** Name of the supervisor the pool's own supervisor runs under. Defaults to the root. */
    private @Nullable String parent;

    /** Maximum number of worker restarts within the 'within' window before the pool gives up. */
    private int maxRestarts = 3;

    /** Window in which worker restarts are counted against 'max-restarts'. */
    private Duration within = Duration.ofSeconds(5);

    public BalanceStrategy getStrategy() {
      return strategy;
    }

    public void setStrategy(BalanceStrategy strategy) {
      this.strategy = strategy;
    }

    public @Nullable Integer getPoolSize() {
      return poolSize;
    }

    public void setPoolSize(@Nullable Integer poolSize) {
      this.poolSize = poolSize;
    }

    public @Nullable String getWorker() {
      return worker;
    }

    public void setWorker(@Nullable String worker) {
      this.worker = worker;
    }

    public @Nullable String getRegistry() {
      return registry;
    }

    public void setRegistry(@Nullable String registry) {
      this.registry = registry;
    }

    public @Nullable String getKey() {
      return key;
    }

    public void setKey(@Nullable String key) {
      this.key = key;
    }

    public @Nullable String getParent() {
      return parent;
    }

    public void setParent(@Nullable String parent) {
      this.parent = parent;
    }

    public int getMaxRestarts() {
      return maxRestarts;
    }

    public void setMaxRestarts(int maxRestarts) {
      this.maxRestarts = maxRestarts;
    }

    public Duration getWithin() {
      return within;
    }

    public void setWithin(Duration within) {
      this.within = within;
    }
  }
}

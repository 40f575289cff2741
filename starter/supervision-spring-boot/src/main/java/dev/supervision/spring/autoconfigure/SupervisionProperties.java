package dev.supervision.spring.autoconfigure;

import dev.supervision.core.balance.BalanceStrategy;
import dev.supervision.core.registry.Keys;
import dev.supervision.core.supervisor.AutoShutdown;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.spring.SupervisionTree;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesSource;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * Configuration of the application's supervision tree ({@code supervision.*}). Each part maps to a
 * core spec, which checks it: the root and the supervisors to a {@link
 * dev.supervision.core.supervisor.TreeSpec}, registries to a {@link
 * dev.supervision.core.registry.RegistrySpec}, load balancers to a {@link
 * dev.supervision.core.balance.PoolSpec} or a balancer over a registry key. A key that does not
 * exist, or a value a spec refuses, fails startup naming the key.
 *
 * @param enabled Whether to run the application's supervision tree.
 * @param root Root supervisor of the application's tree.
 * @param health How the tree's health reaches the application's availability probes.
 * @param supervisors Supervisors by name, each under its parent; the children of a supervisor start
 *     in declaration order, before its pools and supervised beans.
 * @param registries Registries by name.
 * @param loadBalancers Load balancers by name, over a pool of supervised workers or over a
 *     duplicate registry key.
 * @param shutdownPhase Lifecycle phase in which the tree starts and stops; the default, below the
 *     web server's, starts the processes before the server takes traffic and stops them after it
 *     has drained.
 * @param cluster Cluster mode: this application's node joined to the other instances over Hazelcast
 *     (module supervision-hazelcast).
 */
@ConfigurationProperties("supervision")
public record SupervisionProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue RootProperties root,
    @DefaultValue HealthProperties health,
    @DefaultValue Map<String, SupervisorProperties> supervisors,
    @DefaultValue Map<String, RegistryProperties> registries,
    @DefaultValue Map<String, LoadBalancerProperties> loadBalancers,
    @DefaultValue("" + SupervisionTree.DEFAULT_PHASE) int shutdownPhase,
    @DefaultValue ClusterProperties cluster) {

  /** Keeps the maps in declaration order, unmodifiable. */
  public SupervisionProperties {
    supervisors = ordered(supervisors);
    registries = ordered(registries);
    loadBalancers = ordered(loadBalancers);
  }

  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** What happens when the root supervisor gives up. */
  public enum OnGiveUp {
    /** Health turns DOWN; the application keeps running. */
    REPORT_DOWN,
    /** The application context closes and the JVM exits with {@code supervision.root.exit-code}. */
    STOP_APPLICATION
  }

  /** Which availability probe turns when the root supervisor gives up with 'report-down'. */
  public enum Probe {
    /**
     * Readiness: the application refuses traffic ({@code /actuator/health/readiness} answers 503),
     * so that it is taken out of the load balancer.
     */
    READINESS,
    /**
     * Liveness: the application is broken ({@code /actuator/health/liveness} answers 503), so that
     * the platform restarts it.
     */
    LIVENESS,
    /** Neither: only the {@code supervision} health contributor turns DOWN. */
    NONE
  }

  /** Kind of supervisor. */
  public enum SupervisorType {
    /** A supervisor with a fixed, ordered list of children and a restart strategy. */
    STATIC,
    /** A one-for-one supervisor of children started at run time. */
    DYNAMIC
  }

  /**
   * The root supervisor ({@code supervision.root.*}).
   *
   * @param name Name of the root supervisor, as shown in health, the supervisors endpoint and
   *     metrics.
   * @param strategy Restart strategy of the root supervisor: one-for-one, one-for-all or
   *     rest-for-one.
   * @param maxRestarts Maximum number of restarts within the 'within' window before the root gives
   *     up.
   * @param within Window in which restarts are counted against 'max-restarts'.
   * @param onGiveUp What to do when the root supervisor gives up.
   * @param exitCode Exit code of the JVM when the root gives up and 'on-give-up' is
   *     'stop-application'.
   * @param backoff Delay before the root restarts a crashed child that has no backoff of its own;
   *     none when not set (restarted at once, as in OTP).
   */
  @ConfigurationPropertiesSource
  public record RootProperties(
      @DefaultValue("root") String name,
      @DefaultValue("one-for-one") Strategy strategy,
      @DefaultValue("" + SupervisorSpec.DEFAULT_MAX_RESTARTS) int maxRestarts,
      @DefaultValue("5s") Duration within,
      @DefaultValue("report-down") OnGiveUp onGiveUp,
      @DefaultValue("1") int exitCode,
      @Nullable BackoffProperties backoff) {}

  /**
   * How the supervision tree's health reaches the availability probes ({@code
   * supervision.health.*}).
   *
   * @param probe Availability probe that turns when the root supervisor gives up and 'on-give-up'
   *     is 'report-down': readiness (refusing traffic), liveness (broken) or none.
   */
  @ConfigurationPropertiesSource
  public record HealthProperties(@DefaultValue("readiness") Probe probe) {}

  /**
   * One supervisor ({@code supervision.supervisors.<name>.*}).
   *
   * @param type Kind of supervisor: 'static' (a fixed list of children) or 'dynamic' (children
   *     started at run time).
   * @param parent Name of the parent supervisor; the root supervisor when not set.
   * @param strategy Restart strategy of a static supervisor: one-for-one when not set, one-for-all
   *     or rest-for-one; a dynamic supervisor is one-for-one.
   * @param maxRestarts Maximum number of restarts within the 'within' window before the supervisor
   *     gives up.
   * @param within Window in which restarts are counted against 'max-restarts'.
   * @param maxChildren Maximum number of children of a dynamic supervisor; no limit when not set or
   *     0.
   * @param restart Restart type of the supervisor as a child of its parent: 'permanent' (always
   *     restarted), 'transient' (restarted only after an abnormal exit, so not after an
   *     auto-shutdown) or 'temporary' (never restarted).
   * @param significant Whether the supervisor is a significant child of its parent, whose
   *     auto-shutdown then counts it; requires restart 'transient' or 'temporary' and a parent with
   *     an auto-shutdown.
   * @param autoShutdown When a static supervisor shuts itself down: 'never' when not set,
   *     'any-significant' (once any significant child has ended without being restarted) or
   *     'all-significant' (once all of them have).
   * @param backoff Delay before the supervisor restarts a crashed child that has no backoff of its
   *     own; none when not set (restarted at once, as in OTP).
   */
  @ConfigurationPropertiesSource
  public record SupervisorProperties(
      @DefaultValue("static") SupervisorType type,
      @Nullable String parent,
      @Nullable Strategy strategy,
      @DefaultValue("" + SupervisorSpec.DEFAULT_MAX_RESTARTS) int maxRestarts,
      @DefaultValue("5s") Duration within,
      @Nullable Integer maxChildren,
      @DefaultValue("permanent") Restart restart,
      @DefaultValue("false") boolean significant,
      @Nullable AutoShutdown autoShutdown,
      @Nullable BackoffProperties backoff) {}

  /**
   * Restart backoff of a supervisor's children ({@code supervision.supervisors.<name>.backoff.*},
   * {@code supervision.root.backoff.*}): the n-th restart in a row waits 'min' times 'multiplier'
   * to the n, at most 'max', spread by 'jitter'.
   *
   * @param min Delay before the first restart after a crash; required with 'max'.
   * @param max Longest delay before a restart; required with 'min'.
   * @param multiplier Factor by which each delay grows; at least 1.
   * @param jitter Random spread of each delay, from 0 (none) to 1 (0.2: 80% to 120% of it).
   * @param resetAfter How long a child must run without crashing to start again at 'min'; 'max' (at
   *     least one second) when not set.
   */
  @ConfigurationPropertiesSource
  public record BackoffProperties(
      @Nullable Duration min,
      @Nullable Duration max,
      @DefaultValue("2") double multiplier,
      @DefaultValue("0.2") double jitter,
      @Nullable Duration resetAfter) {}

  /**
   * One registry ({@code supervision.registries.<name>.*}).
   *
   * @param keys Whether a key names one process ('unique') or a group of processes ('duplicate').
   * @param partitions Number of partitions the entries are spread over; the number of processors
   *     when not set.
   */
  @ConfigurationPropertiesSource
  public record RegistryProperties(
      @DefaultValue("unique") Keys keys, @Nullable Integer partitions) {}

  /**
   * One load balancer ({@code supervision.load-balancers.<name>.*}): either a pool ('worker' and
   * 'pool-size') or a balancer over a duplicate registry key ('registry' and 'key').
   *
   * @param strategy How workers are picked: 'round-robin' or 'least-loaded'.
   * @param worker Bean name of a prototype-scoped Server bean; each worker of the pool is a new
   *     instance of it.
   * @param poolSize Number of workers of a pool.
   * @param parent Name of the supervisor the pool's own supervisor runs under; the root supervisor
   *     when not set.
   * @param maxRestarts Maximum number of worker restarts within the 'within' window before the pool
   *     gives up.
   * @param within Window in which worker restarts are counted against 'max-restarts'.
   * @param registry Name of a duplicate registry (under supervision.registries) to balance over.
   * @param key Registry key whose registered processes are balanced over.
   */
  @ConfigurationPropertiesSource
  public record LoadBalancerProperties(
      @DefaultValue("round-robin") BalanceStrategy strategy,
      @Nullable String worker,
      @Nullable Integer poolSize,
      @Nullable String parent,
      @DefaultValue("" + SupervisorSpec.DEFAULT_MAX_RESTARTS) int maxRestarts,
      @DefaultValue("5s") Duration within,
      @Nullable String registry,
      @Nullable String key) {}

  /**
   * Cluster mode ({@code supervision.cluster.*}), with {@code
   * dev.supervision:supervision-hazelcast} on the class path. The Hazelcast settings (name, port,
   * members, interface, failure detection, join timeout) apply to the member the starter creates; a
   * Hazelcast {@code Config} or {@code HazelcastInstance} bean of the application's, or a {@code
   * hazelcast.yaml}, is used as is instead.
   *
   * @param enabled Whether to join this application's node to a cluster of its instances.
   * @param name Name of the cluster, shared by its members like Erlang's cookie: a member of a
   *     cluster of another name never joins this one.
   * @param port Port this member listens on for the other members.
   * @param members Comma-separated list of 'host:port' addresses of the members to join over TCP
   *     (multicast and auto-detection are off); this member's own address may be among them.
   * @param minimumSize Minimum number of members a side of the cluster needs to register names
   *     (split-brain protection): below it, that side refuses writes. Use a majority of the
   *     members, n / 2 + 1.
   * @param failureDetection Time after which a member that stopped answering (hung, unreachable) is
   *     removed from the cluster and its names freed; whole seconds, at least 2.
   * @param joinTimeout Longest time startup waits to join the members before this member forms a
   *     cluster on its own; whole seconds, at least 1.
   * @param bindInterface Address (IP) this member binds to and announces to the others; loopback
   *     when all the members are loopback addresses, else chosen by Hazelcast.
   * @param allowedClasses Comma-separated list of class name patterns messages between members may
   *     contain besides the built-in ones: 'com.example.Message', 'com.example.*' for a package,
   *     'com.example.**' for a package and its subpackages.
   */
  @ConfigurationPropertiesSource
  public record ClusterProperties(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("supervision") String name,
      @DefaultValue("5701") int port,
      @DefaultValue List<String> members,
      @DefaultValue("1") int minimumSize,
      @DefaultValue("5s") Duration failureDetection,
      @DefaultValue("10s") Duration joinTimeout,
      @Name("interface") @Nullable String bindInterface,
      @DefaultValue List<String> allowedClasses) {}
}

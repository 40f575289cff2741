package dev.supervision.spring.metrics;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.event.EventBus;
import dev.supervision.core.event.SupervisionEvent;
import dev.supervision.core.event.SupervisionListener;
import dev.supervision.core.process.Node;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.CallObserver;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildState;
import dev.supervision.core.supervisor.SupervisorSnapshot;
import dev.supervision.spring.SupervisionTracker;
import dev.supervision.spring.SupervisionTracker.SupervisorStats;
import dev.supervision.spring.SupervisionTree;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Micrometer meters of the application's supervision tree.
 *
 * <table>
 *   <caption>Meters (Prometheus names in parentheses)</caption>
 *   <tr><th>Meter</th><th>Type</th><th>Tags</th><th>Source</th></tr>
 *   <tr><td>{@code supervision.restarts} ({@code supervision_restarts_total})</td><td>counter</td>
 *   <td>supervisor, child</td><td>ChildRestarted events; registered at 0 when a child first
 *   starts</td></tr>
 *   <tr><td>{@code supervision.escalations} ({@code supervision_escalations_total})</td>
 *   <td>counter</td><td>supervisor</td><td>IntensityExceeded events; registered at 0 for every
 *   supervisor</td></tr>
 *   <tr><td>{@code supervision.children} ({@code supervision_children})</td><td>gauge</td>
 *   <td>supervisor, state = running|restarting|stopped</td><td>the tracker's cached
 *   snapshot</td></tr>
 *   <tr><td>{@code supervision.children.backing.off} ({@code
 *   supervision_children_backing_off})</td><td>gauge</td><td>supervisor, child</td><td>children
 *   with that spec id waiting out their restart backoff, from the tracker's cached snapshot;
 *   registered at 0 when such a child first starts</td></tr>
 *   <tr><td>{@code supervision.child.last.failure} ({@code
 *   supervision_child_last_failure_seconds})</td><td>gauge, epoch seconds</td><td>supervisor,
 *   child, reason</td><td>abnormal exits and failed starts</td></tr>
 *   <tr><td>{@code supervision.mailbox.depth} ({@code supervision_mailbox_depth})</td>
 *   <td>gauge</td><td>supervisor</td><td>sum over its running children</td></tr>
 *   <tr><td>{@code supervision.processes} ({@code supervision_processes})</td><td>gauge</td>
 *   <td></td><td>{@link Node#processCount()}</td></tr>
 *   <tr><td>{@code supervision.registry.entries} ({@code supervision_registry_entries})</td>
 *   <td>gauge</td><td>registry</td><td>{@link Registry#count()}</td></tr>
 *   <tr><td>{@code supervision.loadbalancer.dispatches} ({@code
 *   supervision_loadbalancer_dispatches_total})</td><td>function counter</td><td>balancer,
 *   worker (pool worker id; {@code all} for a balancer over a registry key)</td><td>{@link
 *   LoadBalancer#dispatchCounts()}</td></tr>
 *   <tr><td>{@code supervision.calls} ({@code supervision_calls_seconds_*}, with buckets)</td>
 *   <td>timer</td><td>server (the server's label), outcome =
 *   ok|timeout|noproc|exited|calling_self|interrupted</td><td>{@link
 *   GenServer#observeCalls}</td></tr>
 * </table>
 *
 * <p>Calls made to observe supervisors (health, these gauges, the endpoint; see {@link
 * SupervisionTracker#introspect}) are left out of {@code supervision.calls}. Tag values stay
 * bounded: supervisors by name, children by spec id (a dynamic supervisor's children share their
 * spec's id), reasons by exception class. Nothing is registered per pid. Counters are fed from the
 * node's events on the supervisors' threads; gauges read cached state.
 */
public final class SupervisionMetrics implements MeterBinder, AutoCloseable {
  private final SupervisionTree tree;
  private final SupervisionTracker tracker;
  private final Supplier<List<Registry<?, ?>>> registries;
  private final Supplier<List<LoadBalancer<?>>> balancers;
  private final List<Binding> bindings = new CopyOnWriteArrayList<>();

  /**
   * Meters for {@code tree}.
   *
   * @param registries the registries to measure, asked for when bound
   * @param balancers the load balancers to measure, asked for when bound
   */
  public SupervisionMetrics(
      SupervisionTree tree,
      SupervisionTracker tracker,
      Supplier<List<Registry<?, ?>>> registries,
      Supplier<List<LoadBalancer<?>>> balancers) {
    this.tree = tree;
    this.tracker = tracker;
    this.registries = registries;
    this.balancers = balancers;
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    Node node = tree.node();
    Gauge.builder("supervision.processes", node, Node::processCount)
        .description("Live processes of the node")
        .register(meters);
    Binding binding = new Binding(meters);
    for (String name : tree.supervisors().keySet()) {
      binding.supervisor(name);
    }
    for (Registry<?, ?> registry : registries.get()) {
      Gauge.builder("supervision.registry.entries", registry, Registry::count)
          .description("Entries of a registry")
          .tag("registry", registry.name())
          .register(meters);
    }
    for (LoadBalancer<?> balancer : balancers.get()) {
      if (balancer instanceof WorkerPool<?> pool) {
        for (int i = 0; i < pool.spec().size(); i++) {
          String worker = pool.spec().workerId(i);
          dispatches(meters, balancer, worker, b -> b.dispatchCounts().getOrDefault(worker, 0L));
        }
      } else {
        dispatches(meters, balancer, "all", LoadBalancer::dispatches);
      }
    }
    binding.subscription = EventBus.of(node).subscribe(binding);
    bindings.add(binding);
    GenServer.observeCalls(node, new Calls(bindings));
  }

  private static void dispatches(
      MeterRegistry meters,
      LoadBalancer<?> balancer,
      String worker,
      java.util.function.ToDoubleFunction<LoadBalancer<?>> count) {
    FunctionCounter.builder("supervision.loadbalancer.dispatches", balancer, count)
        .description("Selections of a worker by a load balancer")
        .tag("balancer", balancer.name())
        .tag("worker", worker)
        .register(meters);
  }

  /** Stops counting: unsubscribes from the node's events and removes the call observer. */
  @Override
  public void close() {
    GenServer.observeCalls(tree.node(), null);
    for (Binding binding : bindings) {
      AutoCloseable s = binding.subscription;
      if (s != null) {
        try {
          s.close();
        } catch (Exception e) {
          // unsubscribing does not fail
        }
      }
    }
    bindings.clear();
  }

  /* The meters of one registry, fed by the node's events. */
  private final class Binding implements SupervisionListener {
    private final MeterRegistry meters;
    private final Set<String> supervisors = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final Set<String> backingOff = ConcurrentHashMap.newKeySet();
    volatile @org.jspecify.annotations.Nullable AutoCloseable subscription;

    Binding(MeterRegistry meters) {
      this.meters = meters;
    }

    void supervisor(String name) {
      if (!supervisors.add(name)) {
        return;
      }
      SupervisorStats stats = tracker.expect(name);
      escalations(name);
      for (ChildState state : ChildState.values()) {
        Gauge.builder(
                "supervision.children",
                stats,
                s -> s.childrenByState().getOrDefault(state, 0).doubleValue())
            .description("Children of a supervisor by state")
            .tag("supervisor", name)
            .tag("state", state.name().toLowerCase(Locale.ROOT))
            .register(meters);
      }
      Gauge.builder("supervision.mailbox.depth", stats, SupervisorStats::mailboxDepth)
          .description("Messages waiting in the mailboxes of a supervisor's running children")
          .tag("supervisor", name)
          .register(meters);
    }

    private Counter escalations(String supervisor) {
      return counters.computeIfAbsent(
          "e\0" + supervisor,
          k ->
              Counter.builder("supervision.escalations")
                  .description("Times a supervisor gave up after too many restarts")
                  .tag("supervisor", supervisor)
                  .register(meters));
    }

    /* Registers, once per supervisor and child id, the gauge of those children backing off. */
    private void backingOff(String supervisor, String child) {
      if (!backingOff.add(supervisor + "\0" + child)) {
        return;
      }
      SupervisorStats stats = tracker.expect(supervisor);
      Gauge.builder("supervision.children.backing.off", stats, s -> countBackingOff(s, child))
          .description("Children waiting out their restart backoff, by supervisor and child id")
          .tag("supervisor", supervisor)
          .tag("child", child)
          .register(meters);
    }

    private Counter restarts(String supervisor, String child) {
      return counters.computeIfAbsent(
          "r\0" + supervisor + "\0" + child,
          k ->
              Counter.builder("supervision.restarts")
                  .description("Restarts of a child by its supervisor")
                  .tag("supervisor", supervisor)
                  .tag("child", child)
                  .register(meters));
    }

    private void failed(String supervisor, String child, String reason, Instant at) {
      AtomicLong value =
          failures.computeIfAbsent(
              supervisor + "\0" + child + "\0" + reason,
              k -> {
                AtomicLong v = new AtomicLong();
                Gauge.builder("supervision.child.last.failure", v, AtomicLong::doubleValue)
                    .description("When a child last failed with this reason, in epoch seconds")
                    .baseUnit("seconds")
                    .tag("supervisor", supervisor)
                    .tag("child", child)
                    .tag("reason", reason)
                    .register(meters);
                return v;
              });
      value.set(at.getEpochSecond());
    }

    @Override
    public void onEvent(SupervisionEvent event) {
      switch (event) {
        case SupervisionEvent.SupervisorStarted e -> supervisor(e.supervisor());
        case SupervisionEvent.ChildStarted e -> {
          restarts(e.supervisor(), e.child());
          backingOff(e.supervisor(), e.child());
        }
        case SupervisionEvent.ChildRestarted e -> restarts(e.supervisor(), e.child()).increment();
        case SupervisionEvent.ChildExited e -> {
          if (!e.terminated() && !e.reason().isClean()) {
            failed(e.supervisor(), e.child(), SupervisionTracker.reasonTag(e.reason()), e.at());
          }
        }
        case SupervisionEvent.ChildStartFailed e ->
            failed(e.supervisor(), e.child(), e.error().getClass().getSimpleName(), e.at());
        case SupervisionEvent.IntensityExceeded e -> escalations(e.supervisor()).increment();
        case SupervisionEvent.SupervisorStopped e -> {}
        case SupervisionEvent.ChildIgnored e -> {}
        case SupervisionEvent.ChildBackingOff e -> backingOff(e.supervisor(), e.child());
        case SupervisionEvent.EntryRegistered e -> {}
        case SupervisionEvent.EntryRemoved e -> {}
      }
    }

    void called(String server, CallObserver.Outcome outcome, long nanos) {
      String tag = outcome.name().toLowerCase(Locale.ROOT);
      timers
          .computeIfAbsent(
              server + "\0" + tag,
              k ->
                  Timer.builder("supervision.calls")
                      .description("GenServer calls by server and outcome")
                      .tag("server", server)
                      .tag("outcome", tag)
                      .publishPercentileHistogram()
                      .register(meters))
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /* How many of `stats`' children with id `child` back off, by its cached snapshot; 0 if none. */
  private static double countBackingOff(SupervisorStats stats, String child) {
    SupervisorSnapshot snapshot = stats.isRunning() ? stats.snapshot() : null;
    if (snapshot == null) {
      return 0;
    }
    int count = 0;
    for (ChildInfo info : snapshot.children()) {
      if (info.state() == ChildState.BACKING_OFF && info.id().equals(child)) {
        count++;
      }
    }
    return count;
  }

  private record Calls(List<Binding> bindings) implements CallObserver {
    @Override
    public void called(String server, Outcome outcome, long nanos) {
      if (SupervisionTracker.isIntrospecting()) {
        return; // health, metrics and the endpoint looking at supervisors
      }
      for (Binding binding : bindings) {
        binding.called(server, outcome, nanos);
      }
    }
  }
}

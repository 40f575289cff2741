package dev.supervision.core.supervisor;

import dev.supervision.core.event.EventBus;
import dev.supervision.core.internal.Spin;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import dev.supervision.core.process.Ticker;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.StartIgnoredException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/*
 * What a static and a dynamic supervisor share: the server that traps exits, its reporter, its
 * restart intensity and count of restarts, giving up when the intensity is exceeded, and the
 * answer to Inspect. The subclasses keep their children and answer the other requests. Everything
 * runs on the supervisor's own process.
 */
abstract class SupervisorBase implements Server<Request.Call>, Spin.Bounded {
  private final String name;
  private final Strategy strategy;
  private final boolean dynamic;
  private final int maxRestarts;
  private final Duration within;
  private final @Nullable Pid parent;
  private @Nullable ServerContext<Request.Call> context;
  private @Nullable ProcessContext self;
  private @Nullable Reporter reporter;
  private @Nullable Intensity intensity;
  private long totalRestarts;

  SupervisorBase(
      String name,
      Strategy strategy,
      boolean dynamic,
      int maxRestarts,
      Duration within,
      @Nullable Pid parent) {
    this.name = name;
    this.strategy = strategy;
    this.dynamic = dynamic;
    this.maxRestarts = maxRestarts;
    this.within = within;
    this.parent = parent;
  }

  /* A supervisor spins briefly in receive: see Spin.BRIEF_NANOS. */
  @Override
  public final long spinNanos() {
    return Spin.BRIEF_NANOS;
  }

  @Override
  public final void init(ServerContext<Request.Call> context) throws Exception {
    this.context = context;
    ProcessContext process = context.process();
    this.self = process;
    process.trapExits(true);
    Reporter r = new Reporter(EventBus.of(process.node()), name, dynamic, process.node().ticker());
    this.reporter = r;
    this.intensity = new Intensity(maxRestarts, within, process.node().ticker());
    startInitialChildren();
    r.announce(process, parent, dynamic, strategy.name());
  }

  /* In init, before the supervisor is announced; throwing fails the supervisor's start. */
  void startInitialChildren() throws Exception {}

  @Override
  public final void handle(Request.Call call) {
    call.replyTo().reply(answer(call.request()));
  }

  /* The reply to a request: a value, or the ChildException for the caller to throw. */
  abstract Object answer(Request request);

  /* The answer to Which: `children` as listed, with the time left of those backing off. */
  final List<ChildInfo> infos(Collection<Child> children) {
    long now = now();
    List<ChildInfo> list = new ArrayList<>(children.size());
    for (Child child : children) {
      list.add(child.info(now));
    }
    return list;
  }

  /* The answer to WhichChild: `child` as listed, if there is one. */
  final Optional<ChildInfo> info(@Nullable Child child) {
    return child == null ? Optional.empty() : Optional.of(child.info(now()));
  }

  /* The answer to GetChildSpec: `child`'s spec as the supervisor holds it, if there is one. */
  static Optional<ChildSpec> specOf(@Nullable Child child) {
    return child == null ? Optional.empty() : Optional.of(child.spec);
  }

  /* The answer to Inspect. */
  final SupervisorSnapshot snapshot(List<ChildInfo> children) {
    return new SupervisorSnapshot(
        name, self().self(), strategy, dynamic, maxRestarts, within, totalRestarts, children);
  }

  final String name() {
    return name;
  }

  final ProcessContext self() {
    ProcessContext s = self;
    if (s == null) {
      throw new IllegalStateException("supervisor not initialised");
    }
    return s;
  }

  final Reporter reporter() {
    Reporter r = reporter;
    if (r == null) {
      throw new IllegalStateException("supervisor not initialised");
    }
    return r;
  }

  /*
   * Counts a restart of `offender` against the intensity. If that exceeds it, the supervisor
   * gives up: `offender` stays stopped, and the supervisor stops with shutdown once the current
   * message is handled (terminate then stops the other children).
   */
  final boolean admitRestart(Child offender) {
    Intensity i = intensity;
    if (i != null && i.admit()) {
      return true;
    }
    reporter().intensityExceeded(self().self(), offender, maxRestarts, within);
    offender.state = ChildState.STOPPED;
    shutDown();
    return false;
  }

  /* Stops the supervisor with shutdown once the current message is handled. */
  final void shutDown() {
    ServerContext<Request.Call> c = context;
    if (c != null) {
      c.stop(ExitReason.shutdown());
    }
  }

  /* The supervisor's clock (the node's ticker), for backoff. */
  final long now() {
    return self().node().ticker().nanoTime();
  }

  /* The default backoff of the children that have none of their own. */
  abstract Backoff defaultBackoff();

  /*
   * A child started running (first start or restart): its backoff's reset counts from now, and it
   * is recorded with the name its process registered under (kept while it restarts).
   */
  final void running(Child child, Pid pid) {
    child.pid = pid;
    child.name = pid.registeredName().orElse(null);
    child.state = ChildState.RUNNING;
    child.startedAtNanos = now();
    child.backoffTimer = null;
  }

  /*
   * The delay before `child`'s next restart, by its backoff (or the supervisor's): zero for none.
   * A child that ran the backoff's resetAfter since it last started begins again at min.
   */
  final Duration backoffDelay(Child child) {
    Backoff b = child.spec.backoff() != null ? child.spec.backoff() : defaultBackoff();
    if (b.isNone()) {
      return Duration.ZERO;
    }
    if (now() - child.startedAtNanos >= b.resetAfter().toNanos()) {
      child.backoffAttempts = 0;
    }
    return b.delay(child.backoffAttempts++, ThreadLocalRandom.current()::nextDouble);
  }

  /*
   * Marks `child` BACKING_OFF and sends `retry` to self once `delay` has passed on the node's
   * clock; the retry finds it BACKING_OFF unless it was terminated or restarted meanwhile.
   */
  final void backOff(Child child, Duration delay, Object retry) {
    child.state = ChildState.BACKING_OFF;
    child.nextAttemptNanos = now() + delay.toNanos();
    Pid me = self().self();
    child.backoffTimer = self().node().ticker().schedule(delay, () -> me.send(retry));
    reporter().childBackingOff(child, delay);
  }

  /* Cancels the pending restarts of `children` (the supervisor is stopping). */
  static void cancelBackoffs(Iterable<Child> children) {
    for (Child child : children) {
      Ticker.Timer timer = child.backoffTimer;
      if (timer != null) {
        timer.cancel();
        child.backoffTimer = null;
      }
    }
  }

  /* A child was started again after an exit (or as a bystander of a group restart). */
  final void restarted(Child child, Pid pid) {
    running(child, pid);
    child.restarts++;
    totalRestarts++;
    reporter().childRestarted(child, pid);
  }

  final StartIgnoredException ignored(Child child) {
    return new StartIgnoredException(
        "start of child '" + child.id() + "' of supervisor '" + name + "' ignored");
  }
}

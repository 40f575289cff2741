package dev.supervision.core.supervisor;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A supervisor's configuration: name, strategy, restart intensity and initial children.
 *
 * {@snippet :
 * SupervisorSpec spec = SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
 *     .withIntensity(3, Duration.ofSeconds(5))
 *     .withChildren(
 *         ChildSpec.server("users", Users::new),
 *         ChildSpec.server("counter", Counter::new));
 * SupervisorRef app = Supervisor.start(node, spec);
 * }
 *
 * <p>Restart intensity: if more than {@code maxRestarts} restarts happen within any window of
 * {@code within}, the supervisor gives up: it terminates all its children and exits with {@code
 * shutdown}, which its own supervisor sees (escalation). Every restart attempt counts, failed ones
 * included. Defaults: 3 restarts in 5 seconds (Elixir's; Erlang's are 1 in 5). A restart at time
 * {@code t} counts while {@code now - t <= within}, measured with the node's {@link
 * dev.supervision.core.process.Ticker} in nanoseconds (OTP counts whole seconds).
 *
 * @param name a name for logs, events and metrics; not blank
 * @param strategy which children restart together
 * @param maxRestarts restarts allowed within {@code within}; {@code >= 0}
 * @param within the intensity window; {@code > 0}
 * @param children the initial children, started in order and stopped in reverse order; ids unique
 * @param autoShutdown whether it shuts itself down when its significant children end; default
 *     {@link AutoShutdown#NEVER}, which allows no significant child (checked when the supervisor
 *     starts)
 * @param backoff the children's backoff before a restart, unless a child has its own; default
 *     {@link Backoff#NONE}
 */
public record SupervisorSpec(
    String name,
    Strategy strategy,
    int maxRestarts,
    Duration within,
    List<ChildSpec> children,
    AutoShutdown autoShutdown,
    Backoff backoff) {

  /** Elixir's default maximum restarts. */
  public static final int DEFAULT_MAX_RESTARTS = 3;

  /** Elixir's default intensity window. */
  public static final Duration DEFAULT_WITHIN = Duration.ofSeconds(5);

  /**
   * Validates the spec.
   *
   * @throws InvalidSpecException naming the invalid value and what is allowed
   */
  public SupervisorSpec {
    name = requireName(name);
    if (strategy == null) {
      throw new InvalidSpecException("supervisor '" + name + "' has no strategy");
    }
    requireIntensity(name, maxRestarts, within);
    if (children == null) {
      throw new InvalidSpecException("supervisor '" + name + "' children must not be null");
    }
    for (int i = 0; i < children.size(); i++) {
      if (children.get(i) == null) {
        throw new InvalidSpecException(
            "supervisor '" + name + "' has a null child spec at index " + i);
      }
    }
    children = List.copyOf(children);
    if (autoShutdown == null) {
      throw new InvalidSpecException("supervisor '" + name + "' has no autoShutdown");
    }
    if (backoff == null) {
      throw new InvalidSpecException("supervisor '" + name + "' has no backoff (use Backoff.NONE)");
    }
    Set<String> ids = new HashSet<>();
    for (ChildSpec child : children) {
      if (!ids.add(child.id())) {
        throw new InvalidSpecException(
            "supervisor '"
                + name
                + "' has two children with id '"
                + child.id()
                + "'; give one of them another id",
            name,
            "children");
      }
    }
  }

  /** A spec whose auto-shutdown is {@link AutoShutdown#NEVER}. */
  public SupervisorSpec(
      String name, Strategy strategy, int maxRestarts, Duration within, List<ChildSpec> children) {
    this(name, strategy, maxRestarts, within, children, AutoShutdown.NEVER);
  }

  /** A supervisor whose children restart at once after a crash (no backoff, as OTP). */
  public SupervisorSpec(
      String name,
      Strategy strategy,
      int maxRestarts,
      Duration within,
      List<ChildSpec> children,
      AutoShutdown autoShutdown) {
    this(name, strategy, maxRestarts, within, children, autoShutdown, Backoff.NONE);
  }

  /*
   * OTP's {bad_combination, [{auto_shutdown, never}, {significant, true}]}. Checked when the
   * supervisor starts (as OTP checks in init), not here, so that withChildren and withAutoShutdown
   * may come in either order.
   */
  void requireSignificantAllowed() {
    children.forEach(this::requireSignificantAllowed);
  }

  /* The same for a child added later with startChild. */
  void requireSignificantAllowed(ChildSpec child) {
    // and a child whose start takes extra arguments, which only a dynamic supervisor gives
    InvalidSpecException arguments = ArgumentsStart.refusalByStatic(name, child);
    if (arguments != null) {
      throw arguments;
    }
    if (child.significant() && autoShutdown == AutoShutdown.NEVER) {
      throw new InvalidSpecException(
          "supervisor '"
              + name
              + "' has auto-shutdown NEVER but child '"
              + child.id()
              + "' is significant; give the supervisor ANY_SIGNIFICANT or ALL_SIGNIFICANT",
          child.id(),
          "significant");
    }
  }

  static String requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidSpecException(
          "supervisor name must not be null or blank but was '" + name + "'", null, "name");
    }
    return name;
  }

  static void requireIntensity(String name, int maxRestarts, Duration within) {
    if (maxRestarts < 0) {
      throw new InvalidSpecException(
          "supervisor '" + name + "': maxRestarts must be >= 0 but was " + maxRestarts,
          name,
          "maxRestarts");
    }
    if (within == null || within.isNegative() || within.isZero()) {
      throw new InvalidSpecException(
          "supervisor '" + name + "': within must be a positive duration but was " + within,
          name,
          "within");
    }
  }

  /** A spec with no children and the default intensity. */
  public static SupervisorSpec of(String name, Strategy strategy) {
    return new SupervisorSpec(
        name, strategy, DEFAULT_MAX_RESTARTS, DEFAULT_WITHIN, List.of(), AutoShutdown.NEVER);
  }

  /** A copy with {@code maxRestarts} in {@code within}. */
  public SupervisorSpec withIntensity(int maxRestarts, Duration within) {
    return new SupervisorSpec(name, strategy, maxRestarts, within, children, autoShutdown, backoff);
  }

  /** A copy with these children. */
  public SupervisorSpec withChildren(List<ChildSpec> children) {
    return new SupervisorSpec(name, strategy, maxRestarts, within, children, autoShutdown, backoff);
  }

  /** A copy with these children. */
  public SupervisorSpec withChildren(ChildSpec... children) {
    return withChildren(Arrays.asList(children));
  }

  /** A copy with {@code strategy}. */
  public SupervisorSpec withStrategy(Strategy strategy) {
    return new SupervisorSpec(name, strategy, maxRestarts, within, children, autoShutdown, backoff);
  }

  /** A copy whose children wait out {@code backoff} before a restart, unless their own says. */
  public SupervisorSpec withBackoff(Backoff backoff) {
    return new SupervisorSpec(name, strategy, maxRestarts, within, children, autoShutdown, backoff);
  }

  /** A copy with {@code autoShutdown}. */
  public SupervisorSpec withAutoShutdown(AutoShutdown autoShutdown) {
    return new SupervisorSpec(name, strategy, maxRestarts, within, children, autoShutdown, backoff);
  }
}

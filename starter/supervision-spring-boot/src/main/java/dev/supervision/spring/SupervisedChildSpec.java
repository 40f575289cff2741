package dev.supervision.spring;

import dev.supervision.core.supervisor.ChildSpec;
import java.util.Objects;

/**
 * A bean that adds a child, described by a full core {@link ChildSpec}, to a configured supervisor:
 * the way to supervise anything {@link SupervisedChild} cannot express (a child supervisor started
 * from your own spec, a custom start function, a name "via" a registry).
 *
 * {@snippet :
 * @Bean
 * SupervisedChildSpec ticker(Clock clock) {
 *   return SupervisedChildSpec.of("jobs",
 *       ChildSpec.server("ticker", () -> new Ticker(clock)).withShutdown(Shutdown.brutalKill()));
 * }
 * }
 *
 * @param supervisor name of the supervisor; empty for the application's root supervisor
 * @param spec the child's spec, whose start function runs in the supervisor's process
 * @param order position among the bean children of the same supervisor; lower starts first
 */
public record SupervisedChildSpec(String supervisor, ChildSpec spec, int order) {

  /** Validates the fields. */
  public SupervisedChildSpec {
    Objects.requireNonNull(supervisor, "supervisor");
    Objects.requireNonNull(spec, "spec");
  }

  /** A child of {@code supervisor} with order 0. */
  public static SupervisedChildSpec of(String supervisor, ChildSpec spec) {
    return new SupervisedChildSpec(supervisor, spec, 0);
  }

  /** A child of the application's root supervisor with order 0. */
  public static SupervisedChildSpec ofRoot(ChildSpec spec) {
    return new SupervisedChildSpec("", spec, 0);
  }

  /** A copy with {@code order}. */
  public SupervisedChildSpec withOrder(int order) {
    return new SupervisedChildSpec(supervisor, spec, order);
  }
}

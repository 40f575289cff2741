package dev.supervision.spring.actuate;

import dev.supervision.core.process.ExitReason;
import dev.supervision.spring.SupervisionTracker;
import dev.supervision.spring.SupervisionTracker.Failure;
import dev.supervision.spring.SupervisionTracker.SupervisorStats;
import dev.supervision.spring.SupervisionTree;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code supervision} health contributor: per supervisor its status, its children by state,
 * restart and escalation counts and its last failure.
 *
 * <table>
 *   <caption>Status</caption>
 *   <tr><th>Overall</th><th>When</th></tr>
 *   <tr><td>UP</td><td>the tree runs and no supervisor has given up without being restarted</td>
 *   </tr>
 *   <tr><td>DOWN</td><td>the root supervisor gave up, or some supervisor gave up (more restarts
 *   than its intensity allows) and is not running again</td></tr>
 *   <tr><td>UNKNOWN</td><td>the tree has not started, or has been stopped</td></tr>
 * </table>
 *
 * <p>Reads the {@link SupervisionTracker}; children by state come from its cached snapshots (at
 * most one 500 ms call per supervisor, and only if something changed since the last one).
 */
public final class SupervisionHealthIndicator extends AbstractHealthIndicator {
  private final SupervisionTree tree;
  private final SupervisionTracker tracker;

  /** A contributor for {@code tree}, reading {@code tracker}. */
  public SupervisionHealthIndicator(SupervisionTree tree, SupervisionTracker tracker) {
    super("supervision health check failed");
    this.tree = tree;
    this.tracker = tracker;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    ExitReason gaveUp = tree.giveUpReason();
    boolean down = gaveUp != null;
    Map<String, Object> supervisors = new LinkedHashMap<>();
    for (String name : tree.supervisors().keySet()) {
      SupervisorStats stats = tracker.supervisor(name);
      Status status = status(stats);
      down |= Status.DOWN.equals(status);
      supervisors.put(name, describe(status, stats));
    }
    for (SupervisorStats stats : tracker.supervisors()) {
      if (!supervisors.containsKey(stats.name())) {
        Status status = status(stats);
        down |= Status.DOWN.equals(status);
        supervisors.put(stats.name(), describe(status, stats));
      }
    }
    if (down) {
      builder.down();
    } else if (tree.isRunning()) {
      builder.up();
    } else {
      builder.unknown();
    }
    builder.withDetail("root", tree.rootName());
    if (gaveUp != null) {
      builder.withDetail("gaveUp", SupervisionTracker.reasonTag(gaveUp));
    }
    builder.withDetail("supervisors", supervisors);
  }

  private static Status status(@Nullable SupervisorStats stats) {
    if (stats == null) {
      return Status.UNKNOWN;
    }
    if (stats.isRunning()) {
      return Status.UP;
    }
    return stats.hasGivenUp() ? Status.DOWN : Status.UNKNOWN;
  }

  private static Map<String, Object> describe(Status status, @Nullable SupervisorStats stats) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("status", status.getCode());
    if (stats == null) {
      return d;
    }
    d.put("children", children(stats));
    d.put("restarts", stats.restarts());
    d.put("escalations", stats.escalations());
    Failure failure = stats.lastFailure();
    if (failure != null) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("child", failure.child());
      f.put("reason", failure.reasonTag());
      f.put("message", failure.reason().toString());
      f.put("at", failure.at().toString());
      d.put("lastFailure", f);
    }
    return d;
  }

  private static Map<String, Integer> children(SupervisorStats stats) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    stats
        .childrenByState()
        .forEach((state, n) -> counts.put(state.name().toLowerCase(Locale.ROOT), n));
    return counts;
  }
}

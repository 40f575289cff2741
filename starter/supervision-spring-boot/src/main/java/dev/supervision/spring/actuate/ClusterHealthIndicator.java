package dev.supervision.spring.actuate;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.supervision.hazelcast.ClusterNode;
import dev.supervision.spring.cluster.ClusterMembers;
import java.util.List;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code cluster} health contributor of cluster mode, in the readiness group: this side of the
 * cluster, its minimum size, whether it has quorum and whether its partitions are safe.
 *
 * <table>
 *   <caption>Status</caption>
 *   <tr><th>status</th><th>when</th></tr>
 *   <tr><td>UP</td><td>this side has at least {@code supervision.cluster.minimum-size}
 *   members</td></tr>
 *   <tr><td>OUT_OF_SERVICE</td><td>it has fewer: it refuses to register names (a probe takes the
 *   instance out of the load balancer until the members rejoin)</td></tr>
 *   <tr><td>DOWN</td><td>the Hazelcast member is not running</td></tr>
 * </table>
 *
 * <p>Details: {@code name} (the cluster's), {@code member} (this one's address), {@code members}
 * (addresses, oldest first), {@code minimumSize}, {@code quorum}, {@code partitionsSafe} (no
 * partition migrating and every backup in place: false for a moment after a member joins or
 * leaves), and {@code notJoined} with a {@code reason} when members listed in the join
 * configuration are not in the cluster (unreachable, not started, or of a cluster of another name).
 */
public final class ClusterHealthIndicator extends AbstractHealthIndicator {
  private final ClusterNode cluster;

  /** A contributor for {@code cluster}. */
  public ClusterHealthIndicator(ClusterNode cluster) {
    super("cluster health check failed");
    this.cluster = cluster;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    HazelcastInstance hazelcast = cluster.hazelcast();
    if (!hazelcast.getLifecycleService().isRunning()) {
      builder.down().withDetail("reason", "the Hazelcast member is not running");
      return;
    }
    builder.withDetail("name", hazelcast.getConfig().getClusterName());
    List<String> members =
        cluster.members().stream().map(Member::getAddress).map(Object::toString).toList();
    int minimumSize = cluster.options().minimumSize();
    boolean quorum = members.size() >= minimumSize;
    builder
        .withDetail("member", hazelcast.getCluster().getLocalMember().getAddress().toString())
        .withDetail("members", members)
        .withDetail("minimumSize", minimumSize)
        .withDetail("quorum", quorum)
        .withDetail("partitionsSafe", hazelcast.getPartitionService().isClusterSafe());
    List<String> notJoined = ClusterMembers.notJoined(hazelcast);
    if (!notJoined.isEmpty()) {
      builder.withDetail("notJoined", notJoined);
    }
    if (quorum) {
      builder.up();
      return;
    }
    builder
        .outOfService()
        .withDetail(
            "reason",
            members.size()
                + " member(s), fewer than the minimum size "
                + minimumSize
                + (notJoined.isEmpty()
                    ? ""
                    : "; not joined: "
                        + String.join(", ", notJoined)
                        + " (unreachable, not started, or of a cluster of another name:"
                        + " check supervision.cluster.name and .members there)"));
  }
}

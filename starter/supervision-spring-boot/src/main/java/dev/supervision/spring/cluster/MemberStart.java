package dev.supervision.spring.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.supervision.core.process.Node;
import dev.supervision.hazelcast.ClusterNode;
import dev.supervision.hazelcast.ClusterOptions;
import dev.supervision.spring.autoconfigure.SupervisionConfigurationException;
import dev.supervision.spring.autoconfigure.SupervisionProperties.ClusterProperties;
import java.net.BindException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/* Starting the member and joining the node, with what went wrong said in supervision's terms. */
final class MemberStart {
  private static final System.Logger LOG = System.getLogger(MemberStart.class.getName());

  private MemberStart() {}

  /* A member from supervision.cluster.*: a port in use fails naming the key. */
  static HazelcastInstance start(Config config, ClusterProperties properties) {
    try {
      return start(config);
    } catch (RuntimeException e) {
      if (cause(e, BindException.class) != null) {
        throw new SupervisionConfigurationException(
            "supervision.cluster.port "
                + properties.port()
                + " is already in use"
                + (properties.bindInterface() == null ? "" : " on " + properties.bindInterface())
                + ": another process, or another member on this host, listens on it",
            "Stop that process, or set supervision.cluster.port to a free port (and list it in"
                + " supervision.cluster.members of the other members).");
      }
      throw e;
    }
  }

  static HazelcastInstance start(Config config) {
    long started = System.nanoTime();
    HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config);
    LOG.log(
        System.Logger.Level.INFO,
        () ->
            "Cluster member "
                + hazelcast.getCluster().getLocalMember().getAddress()
                + " of cluster '"
                + config.getClusterName()
                + "' started in "
                + (System.nanoTime() - started) / 1_000_000
                + " ms with "
                + hazelcast.getCluster().getMembers().size()
                + " member(s)");
    return hazelcast;
  }

  static ClusterNode join(Node node, HazelcastInstance hazelcast, ClusterOptions options) {
    ClusterNode cluster = ClusterNode.join(node, hazelcast, options);
    if (!cluster.hasQuorum()) {
      LOG.log(
          System.Logger.Level.WARNING,
          () ->
              "Cluster '"
                  + hazelcast.getConfig().getClusterName()
                  + "' has "
                  + cluster.members().size()
                  + " member(s) ("
                  + cluster.members().stream()
                      .map(Member::getAddress)
                      .map(Object::toString)
                      .collect(Collectors.joining(", "))
                  + "), fewer than supervision.cluster.minimum-size "
                  + options.minimumSize()
                  + ": names cannot be registered until more join. Members listed but not"
                  + " joined: "
                  + ClusterMembers.notJoined(hazelcast));
    }
    return cluster;
  }

  private static <T extends Throwable> @Nullable T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}

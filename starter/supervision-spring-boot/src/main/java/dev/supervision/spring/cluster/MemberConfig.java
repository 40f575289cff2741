package dev.supervision.spring.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.supervision.hazelcast.ClusterConfig;
import dev.supervision.hazelcast.ClusterOptions;
import dev.supervision.spring.autoconfigure.SupervisionConfigurationException;
import dev.supervision.spring.autoconfigure.SupervisionProperties.ClusterProperties;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/*
 * The Hazelcast member configuration made from supervision.cluster.*, each value checked and a bad
 * one failing startup naming the key. What each key becomes:
 *
 * - name: the cluster name; port: the member's port, no auto-increment (the other members list it);
 * - members: TCP-IP join with exactly those addresses; multicast and auto-detection off;
 * - interface: the interfaces Hazelcast may use, bound alone (no 0.0.0.0); 127.0.0.1 by default
 *   when every member is a loopback address (or none is listed);
 * - failure-detection d: heartbeats every max(1, d/5) s, a member silent for d s is removed
 *   (hazelcast.max.no.heartbeat.seconds; Hazelcast's default is 60 s); two sub-clusters look for
 *   each other to merge every 2d s (hazelcast.merge.*.run.delay.seconds; default 300 s and 120 s);
 * - join-timeout t: hazelcast.max.join.seconds = t, and the waits before joining at most t, so a
 *   member whose members are all unreachable forms a cluster on its own after about t;
 * - minimum-size: the split-brain protection of the module's maps (ClusterConfig).
 */
final class MemberConfig {
  private static final String PREFIX = "supervision.cluster.";

  private MemberConfig() {}

  static ClusterOptions options(ClusterProperties properties) {
    ClusterOptions options;
    try {
      options = ClusterOptions.DEFAULTS.withMinimumSize(properties.minimumSize());
    } catch (IllegalArgumentException e) {
      throw invalid("minimum-size", "must be at least 1 but was " + properties.minimumSize());
    }
    try {
      return options.withAllowedClasses(properties.allowedClasses().toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw invalid("allowed-classes", e.getMessage());
    }
  }

  static Config of(ClusterProperties properties) {
    ClusterOptions options = options(properties);
    if (properties.name().isBlank()) {
      throw invalid("name", "must not be blank");
    }
    int port = properties.port();
    if (port < 1 || port > 65535) {
      throw invalid("port", "must be between 1 and 65535 but was " + port);
    }
    List<String> members = properties.members().stream().map(MemberConfig::member).toList();
    long detection = seconds("failure-detection", properties.failureDetection(), 2);
    long join = seconds("join-timeout", properties.joinTimeout(), 1);
    String bind = bindInterface(properties.bindInterface(), members);

    Config config = new Config();
    config.setClusterName(properties.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    if (System.getProperty("hazelcast.logging.type") == null) {
      config.setProperty("hazelcast.logging.type", "slf4j");
    }
    config.setProperty("hazelcast.heartbeat.interval.seconds", "" + Math.max(1, detection / 5));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "" + detection);
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "" + 2 * detection);
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "" + 2 * detection);
    config.setProperty("hazelcast.max.join.seconds", "" + join);
    config.setProperty("hazelcast.wait.seconds.before.join", "" + Math.min(1, join));
    config.setProperty("hazelcast.max.wait.seconds.before.join", "" + Math.min(5, join));

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    if (bind != null) {
      network.getInterfaces().setEnabled(true).addInterface(bind);
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig joining = network.getJoin();
    joining.getMulticastConfig().setEnabled(false);
    joining.getAutoDetectionConfig().setEnabled(false);
    joining.getTcpIpConfig().setEnabled(true).setMembers(members);
    return ClusterConfig.apply(config, options);
  }

  /* The loopback address when every member is one; else the interface set, or none. */
  private static @Nullable String bindInterface(@Nullable String configured, List<String> members) {
    if (configured != null) {
      if (configured.isBlank()) {
        throw invalid("interface", "must be an IP address such as 127.0.0.1 but was blank");
      }
      return configured.strip();
    }
    boolean loopback =
        members.stream()
            .map(m -> m.substring(0, m.lastIndexOf(':')))
            .allMatch(MemberConfig::isLoopback);
    return loopback ? "127.0.0.1" : null;
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
  }

  private static String member(String address) {
    String a = address.strip();
    int colon = a.lastIndexOf(':');
    if (colon <= 0 || colon == a.length() - 1) {
      throw invalid(
          "members",
          "holds 'host:port' addresses such as 127.0.0.1:5701 but had '" + address + "'");
    }
    try {
      int port = Integer.parseInt(a.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw invalid("members", "holds ports between 1 and 65535 but had '" + address + "'");
      }
    } catch (NumberFormatException e) {
      throw invalid(
          "members",
          "holds 'host:port' addresses such as 127.0.0.1:5702 (one port each, no ranges) but had '"
              + address
              + "'");
    }
    return a;
  }

  private static long seconds(String key, Duration value, long minimum) {
    if (value.toMillis() < minimum * 1000 || value.toNanos() % 1_000_000_000L != 0) {
      throw invalid(
          key,
          "must be whole seconds, at least " + minimum + "s, but was " + value.toMillis() + "ms");
    }
    return value.toSeconds();
  }

  private static SupervisionConfigurationException invalid(String key, @Nullable String problem) {
    return new SupervisionConfigurationException(
        PREFIX + key + " " + problem,
        "Correct " + PREFIX + key + " (see the cluster mode section of the README).");
  }
}

package dev.supervision.spring.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the members listed in a member's TCP-IP join configuration have become, for health and the
 * startup log.
 */
public final class ClusterMembers {
  private ClusterMembers() {}

  /**
   * The addresses listed in {@code hazelcast}'s join configuration that are not members of its
   * cluster now: unreachable, not started, or members of a cluster of another name.
   */
  public static List<String> notJoined(HazelcastInstance hazelcast) {
    Set<String> present = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      Address address = member.getAddress();
      present.add(address.getHost() + ":" + address.getPort());
      try {
        present.add(address.getInetAddress().getHostAddress() + ":" + address.getPort());
      } catch (UnknownHostException e) {
        // the host as written is all there is
      }
    }
    List<String> missing = new ArrayList<>();
    for (String listed :
        hazelcast.getConfig().getNetworkConfig().getJoin().getTcpIpConfig().getMembers()) {
      if (!present.contains(listed) && !present.contains(resolved(listed))) {
        missing.add(listed);
      }
    }
    return missing;
  }

  private static String resolved(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    if (colon <= 0) {
      return hostAndPort;
    }
    try {
      return InetAddress.getByName(hostAndPort.substring(0, colon)).getHostAddress()
          + hostAndPort.substring(colon);
    } catch (UnknownHostException e) {
      return hostAndPort;
    }
  }
}

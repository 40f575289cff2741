/**
 * Cluster mode on Hazelcast: a {@link dev.supervision.hazelcast.ClusterNode} joins a local node to
 * a Hazelcast cluster, so that servers are called and cast to from any member ({@link
 * dev.supervision.hazelcast.GlobalPid}), names are held once cluster-wide ({@link
 * dev.supervision.hazelcast.ClusterRegistry}) and processes join groups across members ({@link
 * dev.supervision.hazelcast.ProcessGroups}).
 */
@NullMarked
package dev.supervision.hazelcast;

import org.jspecify.annotations.NullMarked;

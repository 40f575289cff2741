/**
 * Cluster mode: the application's node joined to its other instances over Hazelcast ({@code
 * supervision.cluster.*}, module {@code supervision-hazelcast}).
 */
@NullMarked
package dev.supervision.spring.cluster;

import org.jspecify.annotations.NullMarked;

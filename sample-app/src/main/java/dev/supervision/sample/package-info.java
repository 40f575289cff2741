/**
 * The sample application: a chat and a set of counters on the supervision starter. Rooms and
 * counters are supervised servers found by name through registries, users are kept by a
 * user-manager server, and a round-robin pool of writers stores messages through JPA.
 */
@NullMarked
package dev.supervision.sample;

import org.jspecify.annotations.NullMarked;

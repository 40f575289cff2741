/**
 * Counters: one server per counter under the {@code counters} dynamic supervisor, found through the
 * {@code counter-names} registry. Their state is deliberately not persisted: a crash restarts a
 * counter at zero.
 */
@NullMarked
package dev.supervision.sample.counter;

import org.jspecify.annotations.NullMarked;

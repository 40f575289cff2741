/**
 * Baseline endpoints for the load benchmark: the same work as the counter and message endpoints,
 * done directly in the request thread without processes, so that the cost of supervision is a
 * measured ratio.
 */
@NullMarked
package dev.supervision.sample.baseline;

import org.jspecify.annotations.NullMarked;

/** Micrometer meters for supervision trees, registries, load balancers and calls. */
@NullMarked
package dev.supervision.spring.metrics;

import org.jspecify.annotations.NullMarked;

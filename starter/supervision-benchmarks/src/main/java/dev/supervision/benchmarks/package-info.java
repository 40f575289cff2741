/**
 * JMH benchmarks of the runtime. Every benchmark class pairs the runtime's operation with the same
 * work done with bare {@code java.util.concurrent} and virtual threads, in the same run, so the
 * cost of the layer reads as a ratio.
 */
@NullMarked
package dev.supervision.benchmarks;

import org.jspecify.annotations.NullMarked;

/**
 * A small kit for testing servers and supervision trees: {@link dev.supervision.test.TestProbe}
 * records what a process receives, {@link dev.supervision.test.ManualTicker} moves restart
 * intensity time on demand, {@link dev.supervision.test.Exits} waits for a process to exit.
 */
@NullMarked
package dev.supervision.test;

import org.jspecify.annotations.NullMarked;

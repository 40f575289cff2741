/**
 * A small kit for testing servers and supervision trees: {@link dev.supervision.test.TestProbe}
 * records what a process receives, {@link dev.supervision.test.ManualTicker} moves restart
 * intensity time on demand, {@link dev.supervision.test.Exits} waits for a process to exit, {@link
 * dev.supervision.test.SupervisionTest} gives each JUnit test a fresh node and fails it if it
 * leaves processes running, and {@link dev.supervision.test.ServerTestKit} runs a server's handlers
 * without a process.
 */
@NullMarked
package dev.supervision.test;

import org.jspecify.annotations.NullMarked;

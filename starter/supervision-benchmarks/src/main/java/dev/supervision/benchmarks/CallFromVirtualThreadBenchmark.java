package dev.supervision.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * The call round trips of {@link CallBenchmark} with the caller on a virtual thread (JMH's virtual
 * executor), as a process, or a request handler with virtual threads on, calls a server.
 */
@Fork(value = 1, jvmArgsAppend = "-Djmh.executor=VIRTUAL")
public class CallFromVirtualThreadBenchmark extends CallBenchmark {}

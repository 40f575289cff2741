package dev.supervision.core.supervisor;

/**
 * OTP's {@code count_children}.
 *
 * @param specs children known to the supervisor, running or not
 * @param active children whose process is alive
 * @param supervisors children of type supervisor, alive or not
 * @param workers children of type worker, alive or not
 */
public record ChildCounts(int specs, int active, int supervisors, int workers) {}

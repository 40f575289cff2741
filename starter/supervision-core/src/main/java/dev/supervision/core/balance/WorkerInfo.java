package dev.supervision.core.balance;

import dev.supervision.core.process.Pid;
import org.jspecify.annotations.Nullable;

/**
 * One worker of a {@link LoadBalancer}, as a snapshot.
 *
 * @param index its position: the slot in a pool ({@code 0..size-1}), or the rank among the current
 *     members of a registry key (ordered by pid)
 * @param id a stable name for logs and metrics: {@code "<pool>-<index>"} in a pool, the pid's
 *     string for a registry key member
 * @param pid its live process, or {@code null} when it has none
 * @param state up, restarting or down
 * @param dispatches how many selections chose this worker (in a pool: across restarts of the slot)
 */
public record WorkerInfo(
    int index, String id, @Nullable Pid pid, WorkerState state, long dispatches) {}

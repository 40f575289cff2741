package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.List;

/**
 * A supervisor and its children at one moment, for introspection (the actuator's tree).
 *
 * @param name the supervisor's name
 * @param pid its process
 * @param strategy its strategy ({@code ONE_FOR_ONE} for a dynamic supervisor)
 * @param dynamic whether it is a dynamic supervisor
 * @param maxRestarts its intensity
 * @param within its intensity window
 * @param restarts restarts it has made in total
 * @param children its children, in start order
 */
public record SupervisorSnapshot(
    String name,
    Pid pid,
    Strategy strategy,
    boolean dynamic,
    int maxRestarts,
    Duration within,
    long restarts,
    List<ChildInfo> children) {}

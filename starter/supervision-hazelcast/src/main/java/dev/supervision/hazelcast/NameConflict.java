package dev.supervision.hazelcast;

import java.io.Serializable;

/**
 * Why a process lost its cluster-wide name after a partition healed: both sides had registered it,
 * and the other holder kept it. The process is sent the exit signal {@code ExitReason.shutdown(new
 * NameConflict(...))} (OTP's {@code {shutdown, Info}}): it exits with that reason, or, if it traps
 * exits, receives it as an {@code Exit} message and is no longer registered.
 *
 * @param name the name
 * @param keptBy the process that kept it
 */
public record NameConflict(String name, GlobalPid keptBy) implements Serializable {}

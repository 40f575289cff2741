package dev.supervision.core.process;

/**
 * The message a monitoring process receives once the monitored process has exited (OTP's {@code
 * {'DOWN', Ref, process, Pid, Reason}}). Delivered exactly once per monitor, also when the process
 * was already dead when the monitor was set up (then with {@link ExitReason.NoProc}).
 *
 * @param ref the monitor this notice is for
 * @param pid the process that exited
 * @param reason why it exited
 */
public record Down(MonitorRef ref, Pid pid, ExitReason reason) {}

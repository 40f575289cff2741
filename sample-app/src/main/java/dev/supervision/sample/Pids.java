package dev.supervision.sample;

import dev.supervision.core.process.Pid;

/**
 * How the API shows a pid: {@code <node.id>}, as the {@code supervisors} actuator endpoint does.
 */
public final class Pids {
  private Pids() {}

  /** {@code <node.id>}, without the label, so that it can be given back to the endpoint. */
  public static String format(Pid pid) {
    return "<" + pid.node().id() + "." + pid.id() + ">";
  }
}

package dev.supervision.core.process;

import org.jspecify.annotations.Nullable;

/**
 * A monitor set up by {@link ProcessContext#monitor(Pid)} or {@link Node#monitor(Pid,
 * ExitCallback)}: the key to {@linkplain ProcessContext#demonitor(MonitorRef) remove it} and the
 * tag on its {@link Down} notice. Compared by identity.
 */
public final class MonitorRef {
  final ProcessCell target;
  final @Nullable ProcessCell watcher;
  final @Nullable ExitCallback callback;

  /* Guarded by the target's lock: removed after the target died, so its Down must not be sent. */
  boolean cancelled;

  MonitorRef(ProcessCell target, @Nullable ProcessCell watcher, @Nullable ExitCallback callback) {
    this.target = target;
    this.watcher = watcher;
    this.callback = callback;
  }

  /** The monitored process. */
  public Pid target() {
    return target;
  }

  @Override
  public String toString() {
    return "#Ref<" + Integer.toHexString(System.identityHashCode(this)) + " on " + target + ">";
  }
}

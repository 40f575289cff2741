package dev.supervision.core.registry;

import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Pid;
import java.util.HashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/*
 * What one registry knows about one registered process: the keys it holds (with the number of
 * entries under each, for duplicate registries) and its exit callback. Created at the process's
 * first registration and kept until it exits, so a process that registers and unregisters in a
 * loop pays for the exit callback once.
 *
 * The lock orders the owner's own registrations against its clean-up, which runs on whichever
 * thread ends the process: a registration adds its key under the lock unless `closed`, and the
 * clean-up sets `closed` and takes the keys under the lock. A registration that finds `closed`
 * removes the entry it has just inserted itself. Only the owner's own thread registers and
 * unregisters for it, so apart from the clean-up there is no contention.
 */
final class Owner extends ReentrantLock {
  private static final long serialVersionUID = 1L;

  final transient Pid pid;

  /* Guarded by this lock. */
  boolean closed;

  /* Guarded by this lock: key -> number of entries under it (always 1 for unique keys). */
  transient HashMap<Object, Integer> keys = new HashMap<>(4);

  transient volatile @Nullable MonitorRef monitor;

  Owner(Pid pid) {
    this.pid = pid;
  }
}

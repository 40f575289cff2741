package dev.supervision.hazelcast.elsewhere;

import dev.supervision.hazelcast.SerializableCallable;

/* Work written in a package the cluster's default allow-list does not admit. */
public final class Work {
  private Work() {}

  public static SerializableCallable<Integer> fortyTwo() {
    return () -> 42;
  }
}

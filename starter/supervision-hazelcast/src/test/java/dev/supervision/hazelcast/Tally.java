package dev.supervision.hazelcast;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import java.io.Serializable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/*
 * A keyed test server whose state lives in a store shared by the members (as a database would be):
 * init reloads it. Every instance is recorded, and an init that finds another live instance of its
 * key records a violation of "at most one live child per key".
 */
final class Tally implements Server<Tally.Message> {
  static final ConcurrentHashMap<String, Long> STORE = new ConcurrentHashMap<>();
  static final ConcurrentHashMap<String, Set<Pid>> INSTANCES = new ConcurrentHashMap<>();
  static final List<String> TWO_ALIVE = new CopyOnWriteArrayList<>();

  static void reset() {
    STORE.clear();
    INSTANCES.clear();
    TWO_ALIVE.clear();
  }

  /* The live instances of `key`, on every member. */
  static List<Pid> live(String key) {
    return List.copyOf(INSTANCES.getOrDefault(key, Set.of())).stream()
        .filter(Pid::isAlive)
        .toList();
  }

  sealed interface Message extends Serializable {}

  /* Adds to the stored value and answers with the new one. */
  record Add(long amount, ReplyTo<Long> replyTo) implements Message {}

  record Get(ReplyTo<Long> replyTo) implements Message {}

  /* Answers with the name of the node it runs on. */
  record Where(ReplyTo<String> replyTo) implements Message {}

  enum Crash implements Message {
    INSTANCE
  }

  private final String key;
  private long value;
  private String node = "?";

  Tally(String key) {
    this.key = key;
  }

  @Override
  public void init(ServerContext<Message> context) {
    Pid self = context.process().self();
    node = self.node().name();
    Set<Pid> instances = INSTANCES.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
    for (Pid other : List.copyOf(instances)) {
      if (other.isAlive()) {
        TWO_ALIVE.add(key + ": " + other + " alive when " + self + " started");
      }
    }
    instances.add(self);
    value = STORE.getOrDefault(key, 0L);
  }

  @Override
  public void handle(Message message) {
    switch (message) {
      case Add add -> {
        value += add.amount();
        STORE.put(key, value);
        add.replyTo().reply(value);
      }
      case Get get -> get.replyTo().reply(value);
      case Where where -> where.replyTo().reply(node);
      case Crash crash -> throw new IllegalStateException("crash on request");
    }
  }
}

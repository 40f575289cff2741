package dev.supervision.core.process;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A name registered on one node (OTP's locally registered names, {@code name: MyServer}): held by
 * at most one live process of the node, resolved at every use, and free again as soon as its holder
 * exits. Made by {@link Node#name(String)}; equal when node and name are.
 *
 * {@snippet :
 * ServerRef<Counter.Message> counter =
 *     GenServer.start(node, Counter::new, StartOptions.named(node.name("counter")));
 * long value = ServerRef.<Counter.Message>of(node.name("counter")).call(Counter.Get::new);
 * }
 */
public final class LocalName implements Name {
  private final Node node;
  private final String name;

  LocalName(Node node, String name) {
    this.node = node;
    this.name = name;
  }

  /** The node the name belongs to. */
  public Node node() {
    return node;
  }

  /** The name itself. */
  public String name() {
    return name;
  }

  @Override
  public @Nullable Pid whereis() {
    Pid holder = table().get(name);
    return holder != null && holder.isAlive() ? holder : null;
  }

  /**
   * Registers {@code self}, a process of this name's node. A holder that has exited no longer
   * counts, even before its exit has released the name.
   *
   * @throws IllegalArgumentException if {@code self} runs on another node
   */
  @Override
  public Optional<Pid> register(Pid self) {
    Objects.requireNonNull(self, "self");
    if (self.node() != node) {
      throw new IllegalArgumentException(
          self + " cannot take name '" + name + "' of node " + node.name());
    }
    ConcurrentHashMap<String, Pid> table = table();
    while (true) {
      Pid holder = table.putIfAbsent(name, self);
      if (holder == null || (!holder.isAlive() && table.replace(name, holder, self))) {
        // Released when it exits; remove(key, value) leaves a later holder's entry alone.
        node.monitor(self, (pid, reason) -> table.remove(name, pid));
        return Optional.empty();
      }
      if (holder == self) {
        return Optional.empty();
      }
      if (holder.isAlive()) {
        return Optional.of(holder);
      }
    }
  }

  private ConcurrentHashMap<String, Pid> table() {
    return node.localNames();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LocalName other && other.node == node && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return 31 * node.id() + name.hashCode();
  }

  @Override
  public String toString() {
    return name + "@" + node.name();
  }
}

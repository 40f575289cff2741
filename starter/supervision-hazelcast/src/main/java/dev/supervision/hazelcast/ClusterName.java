package dev.supervision.hazelcast;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.RemoteAddress;
import dev.supervision.core.server.RemoteCall;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A name held once across the cluster (OTP's {@code {global, Name}}): give it to a start to
 * register the server under it, and wrap it in a {@code ServerRef} to reach the holder from any
 * member. Made by {@link ClusterRegistry#via}; serializable, so it travels inside messages.
 *
 * {@snippet :
 * GenServer.start(node, Counter::new, StartOptions.named(cluster.registry().via("counter")));
 * // on any member:
 * ServerRef<Counter.Message> counter = ServerRef.of(cluster.registry().via("counter"));
 * long value = counter.call(Counter.Get::new);
 * }
 *
 * <p>Resolved at every use: a call or cast goes to whichever process holds the name then; with no
 * holder, a call fails with {@code CallException.NoProc} and a cast is dropped. Equal when the
 * names are.
 */
public final class ClusterName implements Name, RemoteAddress, Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final transient @Nullable ClusterRegistry registry;

  ClusterName(String name, @Nullable ClusterRegistry registry) {
    this.name = Objects.requireNonNull(name, "name");
    this.registry = registry;
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The process holding the name, wherever it runs, or {@code null} if none does. */
  public @Nullable GlobalPid holder() {
    return registry().whereis(name);
  }

  /** The holder, if it runs on this member; {@code null} when it runs elsewhere or nowhere. */
  @Override
  public @Nullable Pid whereis() {
    GlobalPid holder = holder();
    return holder == null ? null : holder.whereis();
  }

  /**
   * Registers {@code self}, a process of this member, under the name cluster-wide.
   *
   * @return empty on success; the holder, if it is a live process of this member
   * @throws NameTakenException if a live process of another member holds it
   * @throws NoQuorumException if this side of the cluster is below its minimum size
   */
  @Override
  public Optional<Pid> register(Pid self) {
    return registry().register(name, self);
  }

  @Override
  public void cast(Object message) {
    GlobalPid holder = holder();
    if (holder != null) {
      holder.cast(message);
    }
  }

  @Override
  public void call(Object message, RemoteCall call, Duration timeout) {
    GlobalPid holder = holder();
    if (holder == null) {
      call.noProc();
    } else {
      holder.call(message, call, timeout);
    }
  }

  ClusterName boundTo(ClusterRegistry registry) {
    return this.registry == registry ? this : new ClusterName(name, registry);
  }

  private ClusterRegistry registry() {
    ClusterRegistry r = registry;
    return r != null ? r : Transport.only(this).registry();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ClusterName other && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "{global, " + name + "}";
  }
}

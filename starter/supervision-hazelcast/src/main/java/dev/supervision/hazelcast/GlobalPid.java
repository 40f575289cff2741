package dev.supervision.hazelcast;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.RemoteAddress;
import dev.supervision.core.server.RemoteCall;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A process address valid on every member of a cluster (OTP's pid, which names its node): the
 * member the process runs on and its pid there. Made by {@link ClusterNode#export}; serializable,
 * so it travels inside messages (a {@code Pid} or a {@code ServerRef} over one put in a message
 * arrives as one of these). Wrap it in a {@code ServerRef} to call and cast:
 *
 * {@snippet :
 * ServerRef<Counter.Message> counter = ServerRef.of(globalPid);
 * long value = counter.call(Counter.Get::new); // from any member
 * }
 *
 * <p>A call to a process whose member has left the cluster fails with {@code
 * CallException.NodeDown}; a cast to it is dropped. A member that merges back after a partition
 * comes back as a new member (Hazelcast gives it a new identity), so addresses of its processes
 * made before are then down too, except on that member itself. Equal when member and pid are.
 */
public final class GlobalPid implements RemoteAddress, Serializable {
  private static final long serialVersionUID = 1L;

  private final UUID member;
  private final long id;
  private final String where;
  /* The local transport it sends through: absent after plain deserialization, see transport(). */
  private final transient @Nullable Transport transport;

  GlobalPid(UUID member, long id, String where, @Nullable Transport transport) {
    this.member = Objects.requireNonNull(member, "member");
    this.id = id;
    this.where = Objects.requireNonNull(where, "where");
    this.transport = transport;
  }

  /** The Hazelcast member the process runs on. */
  public UUID member() {
    return member;
  }

  /** The process's pid number on its member ({@code Pid.id()}). */
  public long id() {
    return id;
  }

  /** Whether the process runs on the member this address is used from. */
  public boolean isLocal() {
    return transport().isLocal(member);
  }

  /** The process, if it runs on this member and is alive; {@code null} otherwise. */
  @Override
  public @Nullable Pid whereis() {
    return transport().localPid(this);
  }

  /**
   * Puts {@code message} in the process's mailbox, wherever it runs (OTP's {@code Pid ! Message}):
   * a process that does not use a typed protocol receives it as is, a server in its {@code
   * handleInfo}. Never waits; dropped if there is no such process or member.
   *
   * @throws UnserializableMessageException if the message cannot be sent to another member
   */
  public void send(Object message) {
    transport().send(this, Transport.SEND, Objects.requireNonNull(message, "message"));
  }

  @Override
  public void cast(Object message) {
    transport().send(this, Transport.CAST, message);
  }

  @Override
  public void call(Object message, RemoteCall call, Duration timeout) {
    transport().call(this, message, call);
  }

  GlobalPid boundTo(Transport transport) {
    return this.transport == transport ? this : new GlobalPid(member, id, where, transport);
  }

  private Transport transport() {
    Transport t = transport;
    return t != null ? t : Transport.only(this);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof GlobalPid other && other.id == id && other.member.equals(member);
  }

  @Override
  public int hashCode() {
    return member.hashCode() * 31 + Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "<" + id + "@" + where + ">";
  }
}

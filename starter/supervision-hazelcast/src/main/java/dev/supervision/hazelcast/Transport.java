package dev.supervision.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.RemoteCall;
import dev.supervision.core.server.ReplyRelay;
import dev.supervision.core.server.ServerRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/*
 * Messages between members. Each member listens on its own topic, "supervision.inbox.<member
 * uuid>"; a message for a process there is published on it as one byte[] envelope:
 *
 *   kind (byte) | sender member uuid (2 longs) | target pid id | correlation id | payload
 *
 * Ordering: a topic delivers what one member publishes in publish order, and runs its listener on
 * one event thread at a time; the listener only decodes and enqueues (never blocks). So messages
 * from one process to another arrive in the order sent, as in OTP, casts and calls alike. Replies
 * come back on the caller's member's inbox.
 *
 * Calls: the caller's RemoteCall waits in `pending` under a correlation id, with the member it
 * went to; the member's departure fails it with node down. On the server's member the message is
 * cast to the server with a ReplyRelay in place of the caller's ReplyTo, and the server is
 * monitored until it answers, so that its exit is reported as the call's outcome.
 *
 * Keyed messages (ShardedChildren): the target id is KEYED and the payload a Keyed record (region,
 * key, message); the owner's region finds or starts the key's child and delivers to it. A call
 * that reaches a member no longer running nor owning the key is answered MOVED, and the caller
 * sends it once more to the owner it sees then (nothing was delivered, so it is safe to resend).
 */
final class Transport {
  private static final System.Logger LOG = System.getLogger(Transport.class.getName());
  private static final Set<Transport> OPEN = ConcurrentHashMap.newKeySet();
  private static final String INBOX = "supervision.inbox.";
  private static final int SWEEP_ABOVE = 1024;

  static final byte SEND = 1;
  static final byte CAST = 2;
  static final byte CALL = 3;
  private static final byte REPLY = 4;
  private static final byte NO_PROC = 5;
  private static final byte EXITED = 6;
  private static final byte FAILED = 7;
  private static final byte MOVED = 8;
  private static final byte THROWN = 9;

  /* The target id of a keyed message: not a pid, a key of a region (pid ids start at 1). */
  static final long KEYED = -1L;

  private final ClusterNode cluster;
  private final HazelcastInstance hz;
  private final Node node;
  private final Codec codec;
  /* This member's identities: Hazelcast gives a member a new uuid when it merges after a split. */
  private final Set<UUID> incarnations = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Long, Pid> exported = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UUID, String> memberNames = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Region> regions = new ConcurrentHashMap<>();
  private final AtomicLong correlations = new AtomicLong();
  private volatile UUID self;
  private volatile String where;
  private volatile @Nullable Inbox inbox;

  /* `moved`: what to do if the member answers MOVED (a keyed call's one resend), or null. */
  private record Pending(RemoteCall call, UUID member, @Nullable Runnable moved) {
    Pending(RemoteCall call, UUID member) {
      this(call, member, null);
    }
  }

  /*
   * What receives keyed messages on a member: ShardedChildren (the key's child) and RemoteTasks (a
   * task to run). Both are called on the inbox's thread and must not block.
   */
  interface Region {
    String name();

    void receiveCast(Keyed keyed);

    void receiveCall(Keyed keyed, Answer answer);

    /* Partitions may have moved off this member. */
    default void sweepSoon() {}
  }

  /* A keyed message: for the child of `key` in the region named `region`. */
  record Keyed(String region, Object key, Object message, int hops) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private record Inbox(ITopic<byte[]> topic, UUID registration) {}

  Transport(ClusterNode cluster, HazelcastInstance hz, Node node, ClusterOptions options) {
    this.cluster = cluster;
    this.hz = hz;
    this.node = node;
    this.codec = new Codec(this, options.allowedClasses());
    Member local = hz.getCluster().getLocalMember();
    this.self = local.getUuid();
    this.where = describe(local);
    incarnations.add(self);
    for (Member m : hz.getCluster().getMembers()) {
      memberNames.put(m.getUuid(), describe(m));
    }
  }

  void open() {
    subscribe();
    OPEN.add(this);
  }

  /* Listens on this member's inbox (again after a merge, under the member's new uuid). */
  private void subscribe() {
    Inbox old = inbox;
    if (old != null) {
      try {
        old.topic().removeMessageListener(old.registration());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "could not remove the old inbox listener", e);
      }
    }
    ITopic<byte[]> topic = hz.getTopic(INBOX + self);
    inbox = new Inbox(topic, topic.addMessageListener(this::received));
  }

  static Transport only(Object address) {
    if (OPEN.size() == 1) {
      return OPEN.iterator().next();
    }
    throw new IllegalStateException(
        address
            + " was not read through a cluster node: with "
            + OPEN.size()
            + " cluster nodes in this JVM it cannot tell which to use; bind it with"
            + " ClusterNode.bind");
  }

  UUID self() {
    return self;
  }

  ClusterRegistry registry() {
    return cluster.registry();
  }

  @Nullable ClassLoader classLoader() {
    ClassLoader configured = hz.getConfig().getClassLoader();
    return configured != null ? configured : Thread.currentThread().getContextClassLoader();
  }

  boolean isLocal(UUID member) {
    return incarnations.contains(member);
  }

  boolean isMember(UUID member) {
    for (Member m : hz.getCluster().getMembers()) {
      if (m.getUuid().equals(member)) {
        return true;
      }
    }
    return false;
  }

  String name(UUID member) {
    String known = memberNames.get(member);
    return known != null ? known + " (" + member + ")" : member.toString();
  }

  static String describe(Member member) {
    return member.getAddress().getHost() + ":" + member.getAddress().getPort();
  }

  GlobalPid export(Pid pid) {
    if (pid.node() != node) {
      throw new IllegalArgumentException(
          pid
              + " runs on node "
              + pid.node().name()
              + ", not on this cluster node's "
              + node.name());
    }
    if (exported.putIfAbsent(pid.id(), pid) == null) {
      node.monitor(pid, (p, reason) -> exported.remove(p.id(), p));
    }
    return new GlobalPid(self, pid.id(), where, this);
  }

  @Nullable Pid localPid(GlobalPid pid) {
    if (!isLocal(pid.member())) {
      return null;
    }
    Pid local = exported.get(pid.id());
    return local != null && local.isAlive() ? local : null;
  }

  void send(GlobalPid target, byte kind, Object message) {
    if (isLocal(target.member())) {
      Pid pid = localPid(target);
      if (pid != null) {
        deliver(pid, kind, message);
      }
      return;
    }
    if (!isMember(target.member())) {
      return; // OTP drops a message to a node that is not connected
    }
    byte[] payload = codec.encode(message, null, 0L);
    publish(target.member(), kind, target.id(), 0L, payload);
  }

  void call(GlobalPid target, Object message, RemoteCall call) {
    UUID member = target.member();
    if (isLocal(member)) {
      Pid pid = localPid(target);
      if (pid == null) {
        call.noProc();
      } else {
        /* whereis() raced with an export: the process is here after all; take the same path. */
        receiveCall(
            self, target.id(), deferredLocal(call), codec.encode(message, call.replyTo(), 0L));
      }
      return;
    }
    if (!isMember(member)) {
      call.nodeDown(name(member));
      return;
    }
    long correlation = correlations.incrementAndGet();
    byte[] payload = codec.encode(message, call.replyTo(), correlation);
    pending.put(correlation, new Pending(call, member));
    if (!publish(member, CALL, target.id(), correlation, payload) || !isMember(member)) {
      // The member left as the call went: the membership listener may have run before the put.
      Pending p = pending.remove(correlation);
      if (p != null) {
        p.call().nodeDown(name(member));
      }
    }
    if (pending.size() > SWEEP_ABOVE) {
      pending.values().removeIf(p -> !p.call().isWaiting());
    }
  }

  /* A correlation id for a call that loops back to this member's own inbox handling. */
  private long deferredLocal(RemoteCall call) {
    long correlation = correlations.incrementAndGet();
    pending.put(correlation, new Pending(call, self));
    return correlation;
  }

  private void deliver(Pid pid, byte kind, Object message) {
    if (kind == SEND) {
      pid.send(message);
    } else {
      ServerRef.of(pid).cast(message);
    }
  }

  /* Returns whether the envelope was handed to Hazelcast. */
  private boolean publish(UUID member, byte kind, long target, long correlation, byte[] payload) {
    byte[] envelope = envelope(kind, target, correlation, payload);
    if (isLocal(member)) {
      received(envelope);
      return true;
    }
    try {
      hz.<byte[]>getTopic(INBOX + member).publish(envelope);
      return true;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "could not send to " + name(member), e);
      return false;
    }
  }

  private byte[] envelope(byte kind, long target, long correlation, byte[] payload) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 41);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(kind);
      out.writeLong(self.getMostSignificantBits());
      out.writeLong(self.getLeastSignificantBits());
      out.writeLong(target);
      out.writeLong(correlation);
      out.write(payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  private void received(Message<byte[]> message) {
    received(message.getMessageObject());
  }

  /* On the inbox's event thread: decode and enqueue, never block. */
  private void received(byte[] envelope) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(envelope))) {
      byte kind = in.readByte();
      UUID from = new UUID(in.readLong(), in.readLong());
      long target = in.readLong();
      long correlation = in.readLong();
      switch (kind) {
        case SEND, CAST -> receiveCast(kind, target, in.readAllBytes());
        case CALL -> receiveCall(from, target, correlation, in.readAllBytes());
        default -> receiveOutcome(kind, correlation, in);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "dropped a malformed message from another member", e);
    }
  }

  private void receiveCast(byte kind, long target, byte[] payload) {
    if (target == KEYED) {
      receiveKeyedCast(payload);
      return;
    }
    Pid pid = exported.get(target);
    if (pid == null || !pid.isAlive()) {
      return;
    }
    try {
      deliver(pid, kind, codec.decode(payload, null));
    } catch (Codec.Unreadable e) {
      LOG.log(System.Logger.Level.WARNING, "dropped a cast to " + pid + ": " + e.getMessage(), e);
    }
  }

  private void receiveKeyedCast(byte[] payload) {
    try {
      if (codec.decode(payload, null) instanceof Keyed keyed) {
        Region region = regions.get(keyed.region());
        if (region != null) {
          region.receiveCast(keyed);
        }
      }
    } catch (Codec.Unreadable e) {
      LOG.log(System.Logger.Level.WARNING, "dropped a keyed cast: " + e.getMessage(), e);
    }
  }

  private void receiveCall(UUID from, long target, long correlation, byte[] payload) {
    Pid pid = null;
    if (target != KEYED) {
      pid = exported.get(target);
      if (pid == null || !pid.isAlive()) {
        publish(from, NO_PROC, 0L, correlation, new byte[0]);
        return;
      }
    }
    Answer answer = new Answer(from, correlation);
    Object message;
    try {
      message = codec.decode(payload, answer.relay);
    } catch (Codec.Unreadable e) {
      answer.failed("member " + where + " could not read the call: " + e.getMessage());
      return;
    }
    if (pid != null) {
      answer.deliverTo(pid, message);
    } else if (message instanceof Keyed keyed) {
      Region region = regions.get(keyed.region());
      if (region == null) {
        answer.moved(); // not started here (yet): the caller may try again
      } else {
        region.receiveCall(keyed, answer);
      }
    } else {
      answer.failed("member " + where + " got a keyed call without a key");
    }
  }

  /*
   * A call from another member (or looped back from this one), answered once: by the reply of the
   * process it is delivered to, that process's exit, or one of the outcomes below.
   */
  final class Answer {
    private final UUID from;
    private final long correlation;
    private final RelayMonitor monitor = new RelayMonitor();
    final ReplyRelay<@Nullable Object> relay;

    Answer(UUID from, long correlation) {
      this.from = from;
      this.correlation = correlation;
      this.relay =
          ReplyRelay.to(
              value -> {
                monitor.release();
                replied(from, correlation, value);
              });
    }

    /* Casts the call's message to `pid`, whose exit before it replies is the call's outcome. */
    void deliverTo(Pid pid, Object message) {
      watch(pid);
      ServerRef.of(pid).cast(message);
    }

    /* Makes the exit of `pid` before the call is answered the call's outcome. */
    void watch(Pid pid) {
      monitor.set(
          node.monitor(
              pid,
              (p, reason) -> {
                if (relay.claim()) {
                  exited(from, correlation, reason);
                }
              }));
    }

    /* No process there and this member no longer owns the key: the caller may resend. */
    void moved() {
      if (relay.claim()) {
        publish(from, MOVED, 0L, correlation, new byte[0]);
      }
    }

    /* The call failed with `error`, thrown to the caller (as a RemoteFailure if it cannot go). */
    void thrown(RuntimeException error) {
      if (!relay.claim()) {
        return;
      }
      byte[] bytes;
      try {
        bytes = codec.encode(error, null, 0L);
      } catch (UnserializableMessageException e) {
        bytes =
            codec.encode(
                new RemoteFailure(error.getClass().getName(), String.valueOf(error.getMessage())),
                null,
                0L);
      }
      publish(from, THROWN, 0L, correlation, bytes);
    }

    void failed(String why) {
      if (relay.claim()) {
        Transport.this.failed(from, correlation, why);
      }
    }
  }

  /* The monitor of a server answering a remote call: dropped once it has answered. */
  private final class RelayMonitor {
    private volatile @Nullable MonitorRef ref;
    private volatile boolean released;

    void set(MonitorRef ref) {
      this.ref = ref;
      if (released) {
        node.demonitor(ref);
      }
    }

    void release() {
      released = true;
      MonitorRef r = ref;
      if (r != null) {
        node.demonitor(r);
      }
    }
  }

  /* On the server's thread: must not throw (a reply that cannot be sent fails the call). */
  private void replied(UUID to, long correlation, @Nullable Object value) {
    byte[] payload;
    try {
      payload = codec.encode(value == null ? NullReply.INSTANCE : value, null, 0L);
    } catch (UnserializableMessageException e) {
      failed(to, correlation, "the reply could not be sent back: " + e.getMessage());
      return;
    }
    publish(to, REPLY, 0L, correlation, payload);
  }

  private void exited(UUID to, long correlation, ExitReason reason) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      codec.writeReason(out, reason);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    publish(to, EXITED, 0L, correlation, bytes.toByteArray());
  }

  private void failed(UUID to, long correlation, String why) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(why.length() > 16_000 ? why.substring(0, 16_000) : why);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    publish(to, FAILED, 0L, correlation, bytes.toByteArray());
  }

  private void receiveOutcome(byte kind, long correlation, DataInputStream in) throws IOException {
    Pending p = pending.remove(correlation);
    if (p == null) {
      return; // the caller gave up, or the member was declared down first
    }
    RemoteCall call = p.call();
    try {
      switch (kind) {
        case REPLY -> {
          Object value = codec.decode(in.readAllBytes(), null);
          call.reply(value == NullReply.INSTANCE ? null : value);
        }
        case NO_PROC -> call.noProc();
        case EXITED -> call.exited(codec.readReason(in));
        case FAILED -> call.fail(new UnserializableMessageException(in.readUTF()));
        case MOVED -> {
          Runnable resend = p.moved();
          if (resend != null) {
            resend.run();
          } else {
            call.fail(new KeyMovedException(name(p.member())));
          }
        }
        case THROWN ->
            call.fail(
                codec.decode(in.readAllBytes(), null) instanceof RuntimeException e
                    ? e
                    : new RemoteFailure("?", "unreadable error"));
        default -> throw new IOException("unknown message kind " + kind);
      }
    } catch (Codec.Unreadable e) {
      call.fail(
          new UnserializableMessageException(
              "the reply from " + name(p.member()) + " could not be read: " + e.getMessage(), e));
    }
  }

  /* Returns false if a region of that name is open already. */
  boolean addRegion(Region region) {
    return regions.putIfAbsent(region.name(), region) == null;
  }

  /* Members came or went, or a merge: keys may have moved off this member. */
  void partitionsMayHaveMoved() {
    regions.values().forEach(Region::sweepSoon);
  }

  void removeRegion(Region region) {
    regions.remove(region.name(), region);
  }

  /* A keyed cast to `member`, which owns the key (dropped if it has left). */
  void castKeyed(UUID member, Keyed keyed) {
    byte[] payload = codec.encode(keyed, null, 0L);
    if (isLocal(member) || isMember(member)) {
      publish(member, CAST, KEYED, 0L, payload);
    }
  }

  /*
   * A keyed call to `member`, which owns the key; `moved` runs if the member answers that the key
   * is no longer there (null: the caller gets KeyMovedException).
   */
  void callKeyed(UUID member, Keyed keyed, RemoteCall call, @Nullable Runnable moved) {
    if (!isLocal(member) && !isMember(member)) {
      call.nodeDown(name(member));
      return;
    }
    long correlation = correlations.incrementAndGet();
    byte[] payload = codec.encode(keyed, call.replyTo(), correlation);
    pending.put(correlation, new Pending(call, isLocal(member) ? self : member, moved));
    if (!publish(isLocal(member) ? self : member, CALL, KEYED, correlation, payload)
        || !(isLocal(member) || isMember(member))) {
      Pending p = pending.remove(correlation);
      if (p != null) {
        p.call().nodeDown(name(member));
      }
    }
    if (pending.size() > SWEEP_ABOVE) {
      pending.values().removeIf(p -> !p.call().isWaiting());
    }
  }

  /* Called by ClusterNode on Hazelcast's event thread. */
  void memberAdded(Member member) {
    memberNames.put(member.getUuid(), describe(member));
  }

  void memberRemoved(Member member) {
    UUID gone = member.getUuid();
    pending
        .values()
        .removeIf(
            p -> {
              if (p.member().equals(gone)) {
                p.call().nodeDown(name(gone));
                return true;
              }
              return !p.call().isWaiting();
            });
  }

  /* After a merge: the member's new uuid, and its inbox under it. */
  void merged() {
    Member local = hz.getCluster().getLocalMember();
    UUID now = local.getUuid();
    if (!now.equals(self)) {
      incarnations.add(now);
      self = now;
      where = describe(local);
    }
    for (Member m : hz.getCluster().getMembers()) {
      memberNames.put(m.getUuid(), describe(m));
    }
    subscribe();
  }

  void close() {
    OPEN.remove(this);
    Inbox current = inbox;
    if (current != null && hz.getLifecycleService().isRunning()) {
      try {
        current.topic().removeMessageListener(current.registration());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "could not remove the inbox listener", e);
      }
    }
    IllegalStateException closed = new IllegalStateException("the cluster node was closed");
    pending.values().forEach(p -> p.call().fail(closed));
    pending.clear();
  }

  /* A null reply (Java serialization writes no top-level null we could tell from a failure). */
  enum NullReply {
    INSTANCE
  }
}

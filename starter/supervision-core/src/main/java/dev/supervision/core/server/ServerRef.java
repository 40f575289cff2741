package dev.supervision.core.server;

import dev.supervision.core.internal.Spin;
import dev.supervision.core.internal.Timeouts;
import dev.supervision.core.process.Address;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.MonitorRef;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A typed handle on a server: what you {@linkplain #call call}, {@linkplain #cast cast} and
 * {@linkplain #stop stop}, with the server's protocol {@code M} checked by javac. Every start
 * returns one bound to the new pid; {@link #of(Address)} makes one for a name, such as a registry's
 * "via" name or a {@linkplain dev.supervision.core.process.Node#name local name}, which is resolved
 * at every use and so follows a restarted server to its new pid.
 *
 * {@snippet :
 * ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
 * counter.cast(new Counter.Increment(1));                              // never blocks, never fails
 * long value = counter.call(Counter.Get::new);                          // waits up to 5 s
 * long again = counter.call(Counter.Get::new, Duration.ofMillis(100));
 * ServerRef<Room.Message> lobby = ServerRef.of(rooms.via("lobby"));     // by name
 * }
 *
 * <p>A call's failures are distinct {@link CallException} subclasses. Refs are immutable values,
 * equal when their addresses are, and may be used from any thread.
 *
 * @param <M> the server's protocol
 */
public final class ServerRef<M> implements Address {
  private static final System.Logger LOG = System.getLogger(ServerRef.class.getName());

  private final Address address;

  private ServerRef(Address address) {
    this.address = address;
  }

  /**
   * A handle on the server at {@code address}, speaking protocol {@code M}. The protocol is taken
   * on trust here, as a lookup's result is: a message outside the server's actual protocol reaches
   * its {@link Server#handleInfo} as {@link Info.Message}, never its {@link Server#handle}.
   */
  public static <M> ServerRef<M> of(Address address) {
    Objects.requireNonNull(address, "address");
    if (address instanceof ServerRef<?> ref) {
      return new ServerRef<>(ref.address);
    }
    return new ServerRef<>(address);
  }

  /** The address this handle resolves: a pid, or a name. */
  public Address address() {
    return address;
  }

  /**
   * The live process this handle designates now, or {@code null} if none; also {@code null} when it
   * runs on another node of a cluster (a {@link RemoteAddress}), which calls and casts still reach.
   */
  @Override
  public @Nullable Pid whereis() {
    return address.whereis();
  }

  /**
   * The process this handle designates: for a handle made from a pid (every start returns one),
   * that pid, alive or not; for a name, the process registered under it now.
   *
   * @throws IllegalStateException if this is a name no live process holds
   */
  public Pid pid() {
    if (address instanceof Pid p) {
      return p;
    }
    Pid p = address.whereis();
    if (p == null) {
      throw new IllegalStateException("no process is registered under " + address);
    }
    return p;
  }

  /** {@link #call(Function, Duration)} with the default 5 second timeout. */
  public <R extends @Nullable Object> R call(Function<? super ReplyTo<R>, ? extends M> request) {
    return call(request, GenServer.DEFAULT_TIMEOUT);
  }

  /**
   * Sends the message that {@code request} makes around a new {@link ReplyTo}, and waits for the
   * server's answer (OTP's {@code GenServer.call}). Pass the message's constructor, or a lambda for
   * a message with more fields:
   *
   * {@snippet :
   * long value = counter.call(Counter.Get::new);
   * User user = users.call(replyTo -> new Users.Lookup("ada", replyTo), Duration.ofSeconds(1));
   * }
   *
   * @param timeout how long to wait; {@link GenServer#INFINITY} waits forever
   * @return the answer
   * @throws CallException.Timeout if no answer came in time; the server keeps running and a late
   *     answer is dropped
   * @throws CallException.NoProc if no process is at this address
   * @throws CallException.ServerExited if the server exited before answering
   * @throws CallException.CallingSelf if a server calls itself
   * @throws CallException.Interrupted if the calling thread was interrupted
   * @throws CallException.NodeDown if the server is on another node of a cluster that is gone or
   *     left before replying ({@link RemoteAddress})
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public <R extends @Nullable Object> R call(
      Function<? super ReplyTo<R>, ? extends M> request, Duration timeout) {
    Objects.requireNonNull(request, "request");
    long timeoutNanos = Timeouts.nanos(timeout);
    CallSlot<R> slot = new CallSlot<>(Thread.currentThread());
    M message = Objects.requireNonNull(request.apply(slot), "request made a null message");
    Pid pid = address.whereis();
    if (pid == null) {
      if (address instanceof RemoteAddress remote) {
        return unbox(remoteExchange(remote, message, slot, timeoutNanos, timeout));
      }
      // A dead pid still knows its node, hence the observer; a free name knows neither.
      if (address instanceof Pid dead) {
        observe(GenServer.CallObservers.of(dead.node()), dead, CallObserver.Outcome.NOPROC, 0L);
      }
      throw new CallException.NoProc(address, message);
    }
    CallObserver observer = GenServer.CallObservers.of(pid.node());
    long start = observer == null ? 0L : System.nanoTime();
    try {
      Object result = exchange(pid, message, slot, timeoutNanos, timeout);
      observe(observer, pid, CallObserver.Outcome.OK, System.nanoTime() - start);
      return unbox(result);
    } catch (CallException e) {
      observe(observer, pid, outcome(e), System.nanoTime() - start);
      throw e;
    }
  }

  private Object exchange(
      Pid pid, Object message, CallSlot<?> slot, long timeoutNanos, Duration timeout) {
    Optional<ProcessContext> self = ProcessContext.current();
    if (self.isPresent() && self.get().self() == pid) {
      throw new CallException.CallingSelf(address, message);
    }
    if (!pid.isAlive()) {
      throw new CallException.NoProc(address, message);
    }
    ServerProcess.Call call = new ServerProcess.Call(message, slot);
    int queued;
    if (pid instanceof Spin.Delivery delivery) {
      queued = delivery.deliver(call);
    } else {
      pid.send(call);
      queued = 0;
    }
    if (!pid.isAlive()) {
      slot.fail(pid.exitReason().orElse(ExitReason.noProc()));
    }
    Object result = slot.awaitReply(timeoutNanos, queued);
    if (result == CallSlot.ABANDONED) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CallException.Interrupted(address, message);
      }
      throw new CallException.Timeout(address, message, timeout);
    }
    if (result instanceof CallSlot.Failed failed) {
      throw new CallException.ServerExited(address, message, failed.reason());
    }
    return result;
  }

  /*
   * A call to a process on another node: the transport sends it and completes the slot with the
   * reply or one of the outcomes RemoteCall offers; the wait is the same as a local call's.
   */
  private Object remoteExchange(
      RemoteAddress remote, Object message, CallSlot<?> slot, long timeoutNanos, Duration timeout) {
    remote.call(message, new RemoteCall(slot), timeout);
    Object result = slot.await(timeoutNanos, false);
    if (result == CallSlot.ABANDONED) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CallException.Interrupted(address, message);
      }
      throw new CallException.Timeout(address, message, timeout);
    }
    if (result instanceof CallSlot.Failed failed) {
      throw new CallException.ServerExited(address, message, failed.reason());
    }
    if (result == CallSlot.NO_PROC) {
      throw new CallException.NoProc(address, message);
    }
    if (result instanceof CallSlot.NodeDown down) {
      throw new CallException.NodeDown(address, message, down.node());
    }
    if (result instanceof CallSlot.Thrown thrown) {
      throw thrown.error();
    }
    return result;
  }

  @SuppressWarnings({"unchecked", "NullAway"}) // R is declared to admit null
  private static <R extends @Nullable Object> R unbox(Object result) {
    return result == CallSlot.NULL ? (R) null : (R) result;
  }

  /* The observer is user code: its failure must not turn the call's outcome into another one. */
  private static void observe(
      @Nullable CallObserver observer, Pid pid, CallObserver.Outcome outcome, long nanos) {
    if (observer == null) {
      return;
    }
    try {
      observer.called(pid.label().orElse("server"), outcome, nanos);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "call observer " + observer + " failed", e);
    }
  }

  private static CallObserver.Outcome outcome(CallException e) {
    return switch (e) {
      case CallException.Timeout t -> CallObserver.Outcome.TIMEOUT;
      case CallException.NoProc n -> CallObserver.Outcome.NOPROC;
      case CallException.ServerExited x -> CallObserver.Outcome.EXITED;
      case CallException.CallingSelf c -> CallObserver.Outcome.CALLING_SELF;
      case CallException.Interrupted i -> CallObserver.Outcome.INTERRUPTED;
      case CallException.NodeDown d -> CallObserver.Outcome.NODEDOWN;
    };
  }

  /**
   * Sends {@code message} to the server's {@link Server#handle} (OTP's {@code GenServer.cast}).
   * Never blocks and never fails: a cast to an address with no live process is dropped, as in OTP.
   * To a process on another node of a cluster ({@link RemoteAddress}), it fails only when the
   * message cannot be sent at all (it cannot be serialized, say), with the transport's error.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public void cast(M message) {
    Objects.requireNonNull(message, "message");
    Pid pid = address.whereis();
    if (pid != null) {
      pid.send(new ServerProcess.Cast(message));
    } else if (address instanceof RemoteAddress remote) {
      remote.cast(message);
    }
  }

  /** Stops the server with reason {@link ExitReason#normal()}, waiting for it to exit. */
  public void stop() {
    stop(ExitReason.normal(), GenServer.INFINITY);
  }

  /**
   * Stops the server: its {@link Server#terminate} runs and it exits with {@code reason} (OTP's
   * {@code GenServer.stop}). Returns once it has exited.
   *
   * @throws CallException.NoProc if no process is at this address
   * @throws CallException.CallingSelf if a server stops itself this way (use {@link
   *     ServerContext#stop})
   * @throws CallException.Timeout if it has not exited within {@code timeout}; it is then killed
   */
  public void stop(ExitReason reason, Duration timeout) {
    Objects.requireNonNull(reason, "reason");
    long timeoutNanos = Timeouts.nanos(timeout);
    Pid pid = address.whereis();
    if (pid == null) {
      if (address instanceof RemoteAddress) {
        throw new UnsupportedOperationException(
            "stop of " + address + ": stopping a server on another node is not supported yet");
      }
      throw new CallException.NoProc(address, "stop");
    }
    Optional<ProcessContext> self = ProcessContext.current();
    if (self.isPresent() && self.get().self() == pid) {
      throw new CallException.CallingSelf(address, "stop");
    }
    CountDownLatch exited = new CountDownLatch(1);
    MonitorRef ref = pid.node().monitor(pid, (p, r) -> exited.countDown());
    pid.send(new ServerProcess.Stop(reason));
    try {
      if (!exited.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
        // As OTP's proc_lib:stop: a server that does not stop in time is killed.
        pid.node().demonitor(ref);
        pid.node().kill(pid);
        throw new CallException.Timeout(address, "stop", timeout);
      }
    } catch (InterruptedException e) {
      pid.node().demonitor(ref);
      Thread.currentThread().interrupt();
      throw new CallException.Interrupted(address, "stop");
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ServerRef<?> other && address.equals(other.address);
  }

  @Override
  public int hashCode() {
    return address.hashCode();
  }

  @Override
  public String toString() {
    return address.toString();
  }
}

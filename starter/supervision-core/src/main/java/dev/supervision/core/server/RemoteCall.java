package dev.supervision.core.server;

import dev.supervision.core.process.ExitReason;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call sent through a {@link RemoteAddress}, as its transport sees it: where the outcome goes.
 * The first outcome wins; later ones (a reply after the node was declared down, say) return {@code
 * false} and are dropped, as are outcomes that arrive after the caller gave up waiting.
 * Thread-safe. A service provider interface for cluster transports.
 */
public final class RemoteCall {
  private final CallSlot<?> slot;

  RemoteCall(CallSlot<?> slot) {
    this.slot = slot;
  }

  /**
   * The reply target the caller put in its message: the transport recognises it when it serializes
   * the message, and answers the call through this object instead.
   */
  public ReplyTo<?> replyTo() {
    return slot;
  }

  /** Whether the caller is still waiting. */
  public boolean isWaiting() {
    return slot.isWaiting();
  }

  /** The server replied {@code value}. */
  public boolean reply(@Nullable Object value) {
    return slot.complete(value == null ? CallSlot.NULL : value);
  }

  /** No live process was at the address: the caller gets {@link CallException.NoProc}. */
  public boolean noProc() {
    return slot.complete(CallSlot.NO_PROC);
  }

  /** The server exited before replying: the caller gets {@link CallException.ServerExited}. */
  public boolean exited(ExitReason reason) {
    return slot.fail(Objects.requireNonNull(reason, "reason"));
  }

  /**
   * The server's node was unreachable or left: the caller gets {@link CallException.NodeDown}
   * naming {@code node}.
   */
  public boolean nodeDown(String node) {
    return slot.complete(new CallSlot.NodeDown(Objects.requireNonNull(node, "node")));
  }

  /**
   * The call failed in the transport (the other node could not read the message, or the reply could
   * not be sent back): the caller gets {@code error}, thrown as is.
   */
  public boolean fail(RuntimeException error) {
    return slot.complete(new CallSlot.Thrown(Objects.requireNonNull(error, "error")));
  }

  @Override
  public String toString() {
    return "RemoteCall[" + (slot.isWaiting() ? "waiting" : "done") + "]";
  }
}

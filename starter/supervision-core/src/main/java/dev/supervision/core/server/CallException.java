package dev.supervision.core.server;

import dev.supervision.core.process.Address;
import dev.supervision.core.process.ExitReason;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ServerRef#call} that did not get a reply. Each OTP failure reason is its own subclass,
 * so callers can tell them apart:
 *
 * <table>
 *   <caption>Call failures</caption>
 *   <tr><th>Subclass</th><th>OTP exit of the caller</th><th>When</th></tr>
 *   <tr><td>{@link Timeout}</td><td>{@code {timeout, ...}}</td><td>no reply in time; the server
 *   keeps running and a late reply is dropped</td></tr>
 *   <tr><td>{@link NoProc}</td><td>{@code {noproc, ...}}</td><td>no live process at the address
 *   when the call was made</td></tr>
 *   <tr><td>{@link ServerExited}</td><td>{@code {Reason, ...}}</td><td>the server exited before
 *   replying, with {@link ServerExited#reason()}</td></tr>
 *   <tr><td>{@link CallingSelf}</td><td>{@code {calling_self, ...}}</td><td>a server called
 *   itself, which would deadlock</td></tr>
 *   <tr><td>{@link Interrupted}</td><td>none</td><td>the calling thread was interrupted; its
 *   interrupt flag is set again</td></tr>
 *   <tr><td>{@link NodeDown}</td><td>{@code {nodedown, Node}}</td><td>the server is on another
 *   node of a cluster, which was gone when the call was made or left before the reply came</td>
 *   </tr>
 * </table>
 */
public abstract sealed class CallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Address server;
  private final transient Object request;

  CallException(String message, Address server, Object request) {
    this(message, server, request, null);
  }

  CallException(String message, Address server, Object request, @Nullable Throwable cause) {
    super(message, cause, false, true);
    this.server = server;
    this.request = request;
  }

  /** Where the call was sent. */
  public Address server() {
    return server;
  }

  /** The request that got no reply. */
  public Object request() {
    return request;
  }

  /** No reply within the timeout. */
  public static final class Timeout extends CallException {
    private static final long serialVersionUID = 1L;
    private final Duration timeout;

    Timeout(Address server, Object request, Duration timeout) {
      super("call to " + server + " timed out after " + timeout + ": " + request, server, request);
      this.timeout = timeout;
    }

    /** How long the caller waited. */
    public Duration timeout() {
      return timeout;
    }
  }

  /** No live process at the address. */
  public static final class NoProc extends CallException {
    private static final long serialVersionUID = 1L;

    NoProc(Address server, Object request) {
      super("no process at " + server + " for call " + request, server, request);
    }
  }

  /** The server exited before replying. */
  public static final class ServerExited extends CallException {
    private static final long serialVersionUID = 1L;
    private final transient ExitReason reason;

    ServerExited(Address server, Object request, ExitReason reason) {
      super(
          "server " + server + " exited (" + reason + ") during call " + request,
          server,
          request,
          reason instanceof ExitReason.Crashed crashed ? crashed.error() : null);
      this.reason = reason;
    }

    /** The server's exit reason. */
    public ExitReason reason() {
      return reason;
    }
  }

  /** A server called itself. */
  public static final class CallingSelf extends CallException {
    private static final long serialVersionUID = 1L;

    CallingSelf(Address server, Object request) {
      super("process " + server + " called itself with " + request, server, request);
    }
  }

  /** The caller's thread was interrupted while waiting. */
  public static final class Interrupted extends CallException {
    private static final long serialVersionUID = 1L;

    Interrupted(Address server, Object request) {
      super("interrupted while calling " + server + " with " + request, server, request);
    }
  }

  /**
   * The server runs on another node of a cluster, and that node was not reachable when the call was
   * made or left the cluster before the server replied (OTP's {@code {nodedown, Node}}). The server
   * may or may not have handled the request.
   */
  public static final class NodeDown extends CallException {
    private static final long serialVersionUID = 1L;
    private final String node;

    NodeDown(Address server, Object request, String node) {
      super("node " + node + " of " + server + " is down, during call " + request, server, request);
      this.node = node;
    }

    /** The node that went down, as the cluster transport names it. */
    public String node() {
      return node;
    }
  }
}

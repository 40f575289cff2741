package dev.supervision.core.supervisor;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import java.util.List;
import java.util.Objects;

/**
 * A supervised test server. Its start function logs {@code "start <id>"}; if it traps exits, its
 * {@code terminate} logs {@code "terminate <id> <reason>"}, so tests can read both orders from one
 * log. Casts make it end in each way a child can end.
 */
final class Worker implements Server {

  /** Casts that end the worker with a chosen reason. */
  enum Command {
    CRASH,
    STOP_NORMAL,
    STOP_SHUTDOWN
  }

  /** A call answered with {@code "pong"}. */
  enum Ping {
    INSTANCE
  }

  private final String id;
  private final List<String> log;
  private final boolean trapExits;
  private ServerContext context;

  private Worker(String id, List<String> log, boolean trapExits) {
    this.id = id;
    this.log = log;
    this.trapExits = trapExits;
  }

  /** A permanent worker that does not trap exits. */
  static ChildSpec spec(String id, List<String> log) {
    return ChildSpec.worker(id, start(id, log, false));
  }

  /** A permanent worker that traps exits, so that its terminate runs (and logs) on shutdown. */
  static ChildSpec trapping(String id, List<String> log) {
    return ChildSpec.worker(id, start(id, log, true));
  }

  static ChildStart start(String id, List<String> log, boolean trapExits) {
    return () -> {
      log.add("start " + id);
      return GenServer.startLink(() -> new Worker(id, log, trapExits));
    };
  }

  static String name(ExitReason reason) {
    return switch (reason) {
      case ExitReason.Normal n -> "normal";
      case ExitReason.Shutdown s -> "shutdown";
      case ExitReason.Killed k -> "killed";
      case ExitReason.Crashed c -> "crashed";
      case ExitReason.NoProc p -> "noproc";
    };
  }

  /** Makes {@code pid} end with {@code reason}, each the way a real child would. */
  static void end(Pid pid, ExitReason reason) {
    switch (reason) {
      case ExitReason.Normal n -> GenServer.cast(pid, Command.STOP_NORMAL);
      case ExitReason.Shutdown s -> GenServer.cast(pid, Command.STOP_SHUTDOWN);
      case ExitReason.Killed k -> pid.node().kill(pid);
      case ExitReason.Crashed c -> GenServer.cast(pid, Command.CRASH);
      case ExitReason.NoProc p -> throw new IllegalArgumentException("cannot end with " + p);
    }
  }

  @Override
  public void init(ServerContext context) {
    this.context = context;
    if (trapExits) {
      context.process().trapExits(true);
    }
  }

  @Override
  public void handleCall(Object request, ReplyTo replyTo) {
    if (request == Ping.INSTANCE) {
      replyTo.reply("pong");
    }
  }

  @Override
  public void handleCast(Object message) {
    ServerContext c = Objects.requireNonNull(context);
    switch ((Command) message) {
      case CRASH -> throw new IllegalStateException("crash requested of " + id);
      case STOP_NORMAL -> c.stop(ExitReason.normal());
      case STOP_SHUTDOWN -> c.stop(ExitReason.shutdown());
    }
  }

  @Override
  public void terminate(ExitReason reason) {
    if (trapExits) {
      log.add("terminate " + id + " " + name(reason));
    }
  }
}

package dev.supervision.core.supervisor;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A supervised test server. Its start function logs {@code "start <id>"}; if it traps exits, its
 * {@code terminate} logs {@code "terminate <id> <reason>"}, so tests can read both orders from one
 * log. Casts make it end in each way a child can end.
 */
final class Worker implements Server<Worker.Message> {

  /** What a worker understands. */
  sealed interface Message {}

  /** Casts that end the worker with a chosen reason. */
  enum Command implements Message {
    CRASH,
    STOP_NORMAL,
    STOP_SHUTDOWN
  }

  /** A call answered with {@code "pong"}. */
  record Ping(ReplyTo<String> replyTo) implements Message {}

  private final String id;
  private final List<String> log;
  private final boolean trapExits;
  private @Nullable ServerContext<Message> context;

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
      return GenServer.startLink(() -> new Worker(id, log, trapExits)).pid();
    };
  }

  /** A handle on the worker at {@code pid}, such as a pid read from a supervisor's children. */
  static ServerRef<Message> ref(Pid pid) {
    return ServerRef.of(pid);
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
      case ExitReason.Normal n -> ref(pid).cast(Command.STOP_NORMAL);
      case ExitReason.Shutdown s -> ref(pid).cast(Command.STOP_SHUTDOWN);
      case ExitReason.Killed k -> pid.node().kill(pid);
      case ExitReason.Crashed c -> ref(pid).cast(Command.CRASH);
      case ExitReason.NoProc p -> throw new IllegalArgumentException("cannot end with " + p);
    }
  }

  @Override
  public void init(ServerContext<Message> context) {
    this.context = context;
    if (trapExits) {
      context.process().trapExits(true);
    }
  }

  @Override
  public void handle(Message message) {
    ServerContext<Message> c = Objects.requireNonNull(context);
    switch (message) {
      case Command.CRASH -> throw new IllegalStateException("crash requested of " + id);
      case Command.STOP_NORMAL -> c.stop(ExitReason.normal());
      case Command.STOP_SHUTDOWN -> c.stop(ExitReason.shutdown());
      case Ping(var replyTo) -> replyTo.reply("pong");
    }
  }

  @Override
  public void terminate(ExitReason reason) {
    if (trapExits) {
      log.add("terminate " + id + " " + name(reason));
    }
  }
}

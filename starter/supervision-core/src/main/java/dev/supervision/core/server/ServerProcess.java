package dev.supervision.core.server;

import dev.supervision.core.internal.Spin;
import dev.supervision.core.internal.Timeouts;
import dev.supervision.core.process.Down;
import dev.supervision.core.process.Exit;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Name;
import dev.supervision.core.process.Pid;
import dev.supervision.core.process.ProcessBody;
import dev.supervision.core.process.ProcessContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/*
 * The receive loop of one server. Messages are Call, Cast, Stop or anything else (info). Before it
 * takes the next message, the loop runs the continue the last callback asked for, if any, and
 * takes the message with the timeout the last callback asked for, if any (Timeout to handleInfo
 * when none comes). The loop ends by exception only: a callback throwing, stop(), an exit signal
 * from the parent while trapping, or the process being killed (ProcessExitedError from receive, or
 * from a callback that receives; whatever a callback throws once the process is dead unwinds it
 * without terminate). In every case the calls the server will never answer are failed with its
 * exit reason: the one being handled, the deferred ones, and those still queued.
 */
final class ServerProcess<M> implements ServerContext<M>, ProcessBody, Spin.Bounded {
  private static final System.Logger LOG = System.getLogger(ServerProcess.class.getName());
  private static final int DEFERRED_SWEEP_THRESHOLD = 64;
  private static final long NO_TIMEOUT = -1L;

  record Call(Object request, CallSlot<?> slot) {}

  record Cast(Object message) {}

  record Stop(ExitReason reason) {}

  private final Server<M> server;
  /* The class every message of the protocol is an instance of (Object when it cannot be told). */
  private final Class<?> protocol;
  private final @Nullable Name name;
  private final @Nullable Pid parent;
  /* Until init ends: then dropped, so that an idle server does not keep it; ignore() needs it. */
  private @Nullable CallSlot<@Nullable Object> started;
  private @Nullable ProcessContext process;
  private @Nullable ExitReason stopReason;
  /* A continue asked for by the last callback, and the timeout of the next wait (-1: none). */
  private @Nullable Step continueStep;
  private long waitNanos = NO_TIMEOUT;
  /* Whether init answered ignore. */
  private boolean ignored;
  /* Whether this process holds `name`: set before init, read by others after the exit. */
  private volatile boolean registered;
  private @Nullable CallSlot<?> current;
  private @Nullable ArrayList<CallSlot<?>> deferred;

  /* Whether the last call was answered within a caller's spin: a hint for the next caller. */
  private boolean fastCalls = true;

  ServerProcess(
      Server<M> server,
      @Nullable Name name,
      @Nullable Pid parent,
      CallSlot<@Nullable Object> started) {
    this.server = server;
    this.protocol = Protocols.of(server.getClass());
    this.name = name;
    this.parent = parent;
    this.started = started;
  }

  @Override
  public ServerRef<M> self() {
    return ServerRef.of(process().self());
  }

  @Override
  public @Nullable Name registeredName() {
    return registered ? name : null;
  }

  /* The server's own ceiling if it has one (a supervisor's), the runtime's otherwise. */
  @Override
  public long spinNanos() {
    return server instanceof Spin.Bounded bounded ? bounded.spinNanos() : Spin.NANOS;
  }

  @Override
  public ProcessContext process() {
    ProcessContext p = process;
    if (p == null) {
      throw new IllegalStateException("server context used before the server started");
    }
    return p;
  }

  @Override
  public void stop(ExitReason reason) {
    stopReason = Objects.requireNonNull(reason, "reason");
    ignored = false;
  }

  @Override
  public void continueWith(Step step) {
    continueStep = Objects.requireNonNull(step, "step");
  }

  @Override
  public void timeoutAfter(Duration timeout) {
    waitNanos = Timeouts.nanos(timeout);
  }

  @Override
  public void ignore() {
    if (started == null) { // dropped once init has ended
      throw new IllegalStateException(
          "ignore() answers init only; a running server ends with stop(reason)");
    }
    ignored = true;
    stopReason = null;
  }

  @Override
  public void run(ProcessContext ctx) throws Exception {
    this.process = ctx;
    CallSlot<@Nullable Object> started = this.started;
    try {
      if (started == null || !initialize(ctx, started)) {
        return;
      }
      loop(ctx);
    } finally {
      // Killed, or exiting after terminate: fail everything still waiting for a reply.
      ExitReason reason = ctx.self().exitReason().orElse(ExitReason.killed());
      failWaiting(ctx, reason);
    }
  }

  private boolean initialize(ProcessContext ctx, CallSlot<@Nullable Object> started)
      throws Exception {
    if (name != null) {
      Optional<Pid> holder;
      try {
        holder = name.register(ctx.self());
      } catch (RuntimeException e) {
        answerStart(
            ctx,
            started,
            new StartException("could not register under " + name + ": " + e, e, null));
        throw e;
      }
      if (holder.isPresent()) {
        answerStart(
            ctx,
            started,
            new StartException(
                "name " + name + " is already registered to " + holder.get(), null, holder.get()));
        return false;
      }
      registered = true;
    }
    try {
      server.init(this);
    } catch (Throwable e) {
      /*
       * Errors too: the parent must be unlinked before this process dies of one, and the starter
       * must not wait for its timeout. So must a kill (or a linked exit) while init blocks, which
       * unwinds through here: the start fails now, with the reason the server died of.
       */
      Optional<ExitReason> ended = ctx.self().exitReason();
      answerStart(
          ctx,
          started,
          ended.isPresent()
              ? new StartException(
                  server.getClass().getName() + ".init did not finish: exited " + ended.get(),
                  null,
                  null)
              : new StartException(server.getClass().getName() + ".init failed: " + e, e, null));
      throw e;
    } finally {
      this.started = null;
    }
    if (ignored) {
      answerStart(
          ctx, started, new StartIgnoredException(server.getClass().getName() + ".init ignored"));
      ctx.exit(ExitReason.normal());
    }
    ExitReason stop = stopReason;
    if (stop != null) {
      answerStart(
          ctx,
          started,
          new StartException(server.getClass().getName() + ".init stopped: " + stop, null, null));
      ctx.exit(stop);
    }
    started.reply(null);
    return true;
  }

  /*
   * A start that does not return a pid: the starter is unlinked first (as proc_lib does since OTP
   * 26), so that it is not taken down, and a trapping starter gets no EXIT, when this process exits.
   */
  private void answerStart(
      ProcessContext ctx, CallSlot<@Nullable Object> started, RuntimeException outcome) {
    if (parent != null) {
      ctx.unlink(parent);
    }
    started.reply(outcome);
  }

  private void loop(ProcessContext ctx) {
    while (true) {
      Step pending = continueStep;
      Object message = pending != null ? pending : next(ctx);
      ExitReason exit;
      try {
        exit = pending != null ? runContinue(pending) : handle(ctx, message);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) { // an Error from a callback crashes the server as an exception does
        exit = ExitReason.crashed(e);
      }
      if (exit != null) {
        Optional<ExitReason> ended = ctx.self().exitReason();
        if (ended.isPresent()) {
          /*
           * Killed, or ended by an exit signal it does not trap, while in the callback, whose
           * failure may be nothing but the kill's interrupt: no terminate, as in OTP, and waiting
           * callers learn the reason it died of (run() fails them as the process unwinds).
           */
          ctx.exit(ended.get());
        }
        terminate(exit);
        failWaiting(ctx, exit);
        ctx.exit(exit);
      }
    }
  }

  /* Runs the continue the last callback asked for; returns the exit reason if it stops. */
  private @Nullable ExitReason runContinue(Step step) throws Exception {
    continueStep = null;
    waitNanos = NO_TIMEOUT;
    step.run();
    return stopReason;
  }

  /* The next message; Timeout if the last callback asked for one and none came in time. */
  private Object next(ProcessContext ctx) {
    long wait = waitNanos;
    if (wait == NO_TIMEOUT) {
      return ctx.receive();
    }
    waitNanos = NO_TIMEOUT;
    Object message = ctx.receive(Duration.ofNanos(wait));
    return message != null ? message : Info.Timeout.INSTANCE;
  }

  /* Handles one message; returns the exit reason if the server must stop. */
  private @Nullable ExitReason handle(ProcessContext ctx, Object message) throws Exception {
    switch (message) {
      case Call call -> {
        CallSlot<?> slot = call.slot();
        slot.taken(fastCalls);
        current = slot;
        long start = System.nanoTime();
        dispatch(call.request());
        current = null;
        if (slot.isWaiting()) {
          defer(slot);
          fastCalls = false;
        } else {
          fastCalls = System.nanoTime() - start < CallSlot.SPIN_NANOS;
        }
      }
      case Cast cast -> dispatch(cast.message());
      case Stop stop -> {
        return stop.reason();
      }
      case Exit exit when parent != null && exit.from() == parent && ctx.trapsExits() -> {
        return exit.reason();
      }
      case Exit exit -> server.handleInfo(new Info.Exit(exit.from(), exit.reason()));
      case Down down -> server.handleInfo(new Info.Down(down.ref(), down.pid(), down.reason()));
      case Info.Timeout timeout -> server.handleInfo(timeout);
      default -> server.handleInfo(new Info.Message(message));
    }
    return stopReason;
  }

  /* A message of the protocol goes to handle, anything else (a mistyped ref's) to handleInfo. */
  @SuppressWarnings("unchecked") // checked against the protocol's class
  private void dispatch(Object message) throws Exception {
    if (protocol.isInstance(message)) {
      server.handle((M) message);
    } else {
      server.handleInfo(new Info.Message(message));
    }
  }

  private void defer(CallSlot<?> slot) {
    ArrayList<CallSlot<?>> d = deferred;
    if (d == null) {
      d = new ArrayList<>();
      deferred = d;
    } else if (d.size() >= DEFERRED_SWEEP_THRESHOLD) {
      d.removeIf(s -> !s.isWaiting());
    }
    d.add(slot);
  }

  private void terminate(ExitReason reason) {
    try {
      server.terminate(reason);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          server.getClass().getName() + ".terminate(" + reason + ") failed",
          e);
    }
  }

  private void failWaiting(ProcessContext ctx, ExitReason reason) {
    CallSlot<?> c = current;
    if (c != null) {
      c.fail(reason);
      current = null;
    }
    ArrayList<CallSlot<?>> d = deferred;
    if (d != null) {
      for (CallSlot<?> slot : d) {
        slot.fail(reason);
      }
      d.clear();
    }
    ctx.drainMailbox(
        message -> {
          if (message instanceof Call call) {
            call.slot().fail(reason);
          }
        });
  }
}

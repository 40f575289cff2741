package dev.supervision.core.supervisor;

import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.StartOptions;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How a supervisor starts, restarts and stops one child (OTP's child specification).
 *
 * {@snippet :
 * ChildSpec counter = ChildSpec.server("counter", Counter::new);
 * ChildSpec cache = ChildSpec.server("cache", Cache::new)
 *     .withRestart(Restart.TRANSIENT)
 *     .withShutdown(Shutdown.brutalKill());
 * }
 *
 * @param id unique among the children of a supervisor (a dynamic supervisor ignores uniqueness and
 *     uses it only as a label); not blank
 * @param start how to start the child
 * @param restart when to restart it; default {@link Restart#PERMANENT}
 * @param shutdown how to stop it; default 5 s for workers, infinity for supervisors
 * @param type worker or supervisor; default {@link ChildType#WORKER}
 * @param backoff how long to wait before restarting it after a crash, or {@code null} (the default)
 *     for its supervisor's backoff, which by default is none (see {@link Backoff})
 * @param significant whether its end, when it is not restarted, counts for its supervisor's {@link
 *     AutoShutdown}; default false. Only transient and temporary children may be significant, and
 *     only under a static supervisor whose auto-shutdown is not {@link AutoShutdown#NEVER}.
 */
public record ChildSpec(
    String id,
    ChildStart start,
    Restart restart,
    Shutdown shutdown,
    ChildType type,
    boolean significant,
    @Nullable Backoff backoff) {

  /** The default worker shutdown: 5 seconds. */
  public static final Shutdown DEFAULT_WORKER_SHUTDOWN =
      Shutdown.timeout(java.time.Duration.ofSeconds(5));

  /**
   * Validates the spec.
   *
   * @throws InvalidSpecException naming the missing or invalid field
   */
  public ChildSpec {
    id = requireId(id);
    if (start == null) {
      throw new InvalidSpecException("child spec '" + id + "' has no start function");
    }
    if (restart == null) {
      throw new InvalidSpecException("child spec '" + id + "' has no restart type");
    }
    if (shutdown == null) {
      throw new InvalidSpecException("child spec '" + id + "' has no shutdown");
    }
    if (type == null) {
      throw new InvalidSpecException("child spec '" + id + "' has no type");
    }
    if (significant && restart == Restart.PERMANENT) {
      throw new InvalidSpecException(
          "child spec '"
              + id
              + "' is significant and permanent; a significant child must be"
              + " transient or temporary",
          id,
          "restart");
    }
  }

  /** A child with its supervisor's backoff. */
  public ChildSpec(
      String id,
      ChildStart start,
      Restart restart,
      Shutdown shutdown,
      ChildType type,
      boolean significant) {
    this(id, start, restart, shutdown, type, significant, null);
  }

  /** A child that is not significant. */
  public ChildSpec(
      String id, ChildStart start, Restart restart, Shutdown shutdown, ChildType type) {
    this(id, start, restart, shutdown, type, false);
  }

  private static String requireId(@Nullable String id) {
    if (id == null || id.isBlank()) {
      throw new InvalidSpecException(
          "child spec id must not be null or blank but was '" + id + "'");
    }
    return id;
  }

  /** A permanent worker with a 5 second shutdown. */
  public static ChildSpec worker(String id, ChildStart start) {
    return new ChildSpec(id, start, Restart.PERMANENT, DEFAULT_WORKER_SHUTDOWN, ChildType.WORKER);
  }

  /**
   * A permanent worker that is the server {@code factory} makes, started linked to the supervisor
   * ({@code GenServer.startLink(factory)}).
   */
  public static <M> ChildSpec server(String id, Supplier<? extends Server<M>> factory) {
    return server(id, factory, StartOptions.DEFAULTS);
  }

  /**
   * A permanent worker that is the server {@code factory} makes, started linked to the supervisor
   * with {@code options} (a name, a label, an init timeout).
   */
  public static <M> ChildSpec server(
      String id, Supplier<? extends Server<M>> factory, StartOptions options) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(options, "options");
    return worker(id, () -> GenServer.startLink(factory, options).pid());
  }

  /**
   * A permanent worker of a dynamic supervisor whose start takes the supervisor's extra arguments
   * (Elixir's {@code extra_arguments}, given with {@link
   * DynamicSupervisorSpec#withExtraArguments}), at every start and restart.
   *
   * {@snippet :
   * record Settings(String roomName) {}
   * DynamicSupervisorRef rooms = DynamicSupervisor.start(node,
   *     DynamicSupervisorSpec.of("rooms").withExtraArguments(new Settings("lobby")));
   * Pid lobby = rooms.startChild(ChildSpec.worker("room", Settings.class,
   *     settings -> GenServer.startLink(() -> new Room(settings.roomName())).pid()));
   * }
   *
   * <p>A supervisor whose extra arguments are not an {@code argumentsType} (or that has none, as a
   * static supervisor) refuses the child with an {@link InvalidSpecException}.
   */
  public static <A> ChildSpec worker(
      String id, Class<A> argumentsType, ChildStart.WithArguments<? super A> start) {
    return worker(id, new ArgumentsStart<>(requireId(id), argumentsType, start));
  }

  /**
   * A permanent worker of a dynamic supervisor that is the server {@code factory} makes from the
   * supervisor's extra arguments, started linked to the supervisor (see {@link #worker(String,
   * Class, ChildStart.WithArguments)}).
   */
  public static <A, M> ChildSpec server(
      String id, Class<A> argumentsType, Function<? super A, ? extends Server<M>> factory) {
    Objects.requireNonNull(factory, "factory");
    return worker(
        id,
        argumentsType,
        (A arguments) -> GenServer.startLink(() -> factory.apply(arguments)).pid());
  }

  /** A permanent child supervisor with an infinite shutdown, started from {@code spec}. */
  public static ChildSpec supervisor(String id, SupervisorSpec spec) {
    return new ChildSpec(
        id,
        () -> Supervisor.startLink(spec).pid(),
        Restart.PERMANENT,
        Shutdown.infinity(),
        ChildType.SUPERVISOR);
  }

  /** A permanent child dynamic supervisor with an infinite shutdown. */
  public static ChildSpec supervisor(String id, DynamicSupervisorSpec spec) {
    return new ChildSpec(
        id,
        () -> DynamicSupervisor.startLink(spec).pid(),
        Restart.PERMANENT,
        Shutdown.infinity(),
        ChildType.SUPERVISOR);
  }

  /** A copy with {@code id}. */
  public ChildSpec withId(String id) {
    return new ChildSpec(id, start, restart, shutdown, type, significant, backoff);
  }

  /** A copy with {@code restart}. */
  public ChildSpec withRestart(Restart restart) {
    return new ChildSpec(id, start, restart, shutdown, type, significant, backoff);
  }

  /** A copy with {@code shutdown}. */
  public ChildSpec withShutdown(Shutdown shutdown) {
    return new ChildSpec(id, start, restart, shutdown, type, significant, backoff);
  }

  /** A copy with {@code type}. */
  public ChildSpec withType(ChildType type) {
    return new ChildSpec(id, start, restart, shutdown, type, significant, backoff);
  }

  /** A copy with {@code backoff} before each restart after a crash (see {@link Backoff}). */
  public ChildSpec withBackoff(Backoff backoff) {
    return new ChildSpec(
        id,
        start,
        restart,
        shutdown,
        type,
        significant,
        Objects.requireNonNull(backoff, "backoff"));
  }

  /**
   * A copy that is {@code significant} or not (see {@link AutoShutdown}).
   *
   * @throws InvalidSpecException if significant and permanent
   */
  public ChildSpec withSignificant(boolean significant) {
    return new ChildSpec(id, start, restart, shutdown, type, significant, backoff);
  }
}

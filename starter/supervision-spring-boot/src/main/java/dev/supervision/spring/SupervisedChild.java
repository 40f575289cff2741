package dev.supervision.spring;

import dev.supervision.core.supervisor.Restart;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a prototype-scoped Spring bean implementing {@link dev.supervision.core.server.Server} as a
 * child of a configured supervisor: the supervisor starts it with the tree, and every restart asks
 * the bean factory for a new instance, so dependency injection works inside the process and its
 * state is fresh after a crash.
 *
 * {@snippet :
 * @Component
 * @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
 * @SupervisedChild(supervisor = "chat", id = "rooms-cache", restart = Restart.TRANSIENT, order = 10)
 * class RoomsCache implements Server<RoomsCache.Message> {
 *   sealed interface Message {}
 *   record Find(String name, ReplyTo<Optional<Room>> replyTo) implements Message {}
 *
 *   private final RoomRepository rooms; // injected, again after every restart
 *   private final Map<String, Room> cache = new HashMap<>();
 *
 *   RoomsCache(RoomRepository rooms) {
 *     this.rooms = rooms;
 *   }
 *
 *   @Override
 *   public void init(ServerContext<Message> context) {
 *     // load state: init runs in the new process, before the supervisor starts the next child
 *   }
 *
 *   @Override
 *   public void handle(Message message) {
 *     switch (message) {
 *       case Find(var name, var replyTo) -> replyTo.reply(Optional.ofNullable(cache.get(name)));
 *     }
 *   }
 * }
 * }
 *
 * <p>Start order within a supervisor: first the supervisors declared under it ({@code
 * supervision.supervisors.*.parent}), then its load-balancer pools ({@code
 * supervision.load-balancers.*.parent}), each in declaration order; then its bean children (beans
 * annotated with this annotation and {@link SupervisedChildSpec} beans) by ascending {@link
 * #order()}, ties in bean registration order. Children stop in the reverse order.
 *
 * <p>Startup fails, naming the bean, if the bean is not prototype-scoped, does not implement {@code
 * Server}, names a supervisor that does not exist, has an invalid {@link #shutdown()} or {@link
 * #backoff()}, or is {@link #significant()} where that is not allowed. A supervisor of type {@code
 * dynamic} starts its annotated children right after itself, every time it starts.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SupervisedChild {

  /**
   * Name of the supervisor (a key of {@code supervision.supervisors}, or the root's name); empty
   * for the application's root supervisor.
   */
  String supervisor() default "";

  /** Child id, unique within its supervisor; empty for the bean name. */
  String id() default "";

  /** When the child is restarted after it exits. */
  Restart restart() default Restart.PERMANENT;

  /**
   * How the supervisor stops the child: a duration ({@code "5s"}, {@code "500ms"}, {@code "PT1M"})
   * after which it is killed, {@code "brutal-kill"} or {@code "infinity"}.
   */
  String shutdown() default "5s";

  /** Position among the bean children of the same supervisor; lower starts first. */
  int order() default 0;

  /**
   * Whether the child is significant: its supervisor's auto-shutdown ({@code
   * supervision.supervisors.<name>.auto-shutdown}) counts it when it ends without being restarted.
   * Requires a restart of {@code TRANSIENT} or {@code TEMPORARY} and a static supervisor with an
   * auto-shutdown (OTP 24's significant children).
   */
  boolean significant() default false;

  /**
   * Delay before the child is restarted after a crash; none by default, which leaves it to its
   * supervisor's ({@code supervision.supervisors.<name>.backoff.*}, itself none unless set).
   *
   * {@snippet :
   * @SupervisedChild(supervisor = "feeds", backoff = @SupervisedChild.Backoff(min = "100ms", max = "30s"))
   * }
   */
  Backoff backoff() default @Backoff;

  /**
   * A child's restart backoff (see {@link dev.supervision.core.supervisor.Backoff}): the n-th
   * restart in a row waits {@code min * multiplier^n}, at most {@code max}, spread by {@code
   * jitter}. Durations are written as for {@link #shutdown()}: {@code "100ms"}, {@code "30s"},
   * {@code "PT1M"}.
   */
  @Target({})
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface Backoff {

    /** Delay before the first restart after a crash; empty (with {@code max}) for no backoff. */
    String min() default "";

    /** Longest delay before a restart; required with {@code min}. */
    String max() default "";

    /** Factor by which each delay grows; at least 1. */
    double multiplier() default 2.0;

    /** Random spread of each delay, from 0 (none) to 1. */
    double jitter() default 0.2;

    /**
     * How long the child must run without crashing to start again at {@code min}; empty for {@code
     * max} (at least one second).
     */
    String resetAfter() default "";
  }
}

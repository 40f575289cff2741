package dev.supervision.core.supervisor;

import dev.supervision.core.process.Pid;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/*
 * The start function of a child that takes its dynamic supervisor's extra arguments (Elixir's
 * extra_arguments), made by ChildSpec.worker(id, type, start) and ChildSpec.server(id, type,
 * factory). `type` is what the child accepts: a supervisor whose extra arguments are not of that
 * type (or that has none) refuses the child at startChild, so the start never sees a wrong value.
 * Called without arguments (by a static supervisor, which refuses such a child first) it throws.
 */
final class ArgumentsStart<A> implements ChildStart {
  private final String id;
  private final Class<A> type;
  private final ChildStart.WithArguments<? super A> start;

  ArgumentsStart(String id, Class<A> type, ChildStart.WithArguments<? super A> start) {
    this.id = id;
    this.type = Objects.requireNonNull(type, "argumentsType");
    this.start = Objects.requireNonNull(start, "start");
  }

  @Override
  public Pid start() {
    throw new IllegalStateException(
        "child '" + id + "' takes the extra arguments of a dynamic supervisor; it has none here");
  }

  Pid start(@Nullable Object arguments) throws Exception {
    return start.start(type.cast(Objects.requireNonNull(arguments, "extra arguments")));
  }

  /* Why static supervisor `supervisor` cannot start `child`; null if it can. */
  static @Nullable InvalidSpecException refusalByStatic(String supervisor, ChildSpec child) {
    if (!(child.start() instanceof ArgumentsStart<?> a)) {
      return null;
    }
    return new InvalidSpecException(
        "child spec '"
            + child.id()
            + "' takes extra arguments of type "
            + a.type.getName()
            + ", which only a dynamic supervisor gives, but supervisor '"
            + supervisor
            + "' is static; start the child under a DynamicSupervisor withExtraArguments(...)",
        child.id(),
        "start");
  }

  /* Why dynamic `supervisor`, whose extra arguments are `arguments`, cannot start `child`. */
  static @Nullable InvalidSpecException refusal(
      String supervisor, @Nullable Object arguments, ChildSpec child) {
    if (!(child.start() instanceof ArgumentsStart<?> a)) {
      return null;
    }
    if (arguments == null) {
      return new InvalidSpecException(
          "child spec '"
              + child.id()
              + "' takes extra arguments of type "
              + a.type.getName()
              + ", but supervisor '"
              + supervisor
              + "' has none; give its DynamicSupervisorSpec withExtraArguments(...)",
          child.id(),
          "start");
    }
    if (!a.type.isInstance(arguments)) {
      return new InvalidSpecException(
          "child spec '"
              + child.id()
              + "' takes extra arguments of type "
              + a.type.getName()
              + ", but those of supervisor '"
              + supervisor
              + "' are a "
              + arguments.getClass().getName(),
          child.id(),
          "start");
    }
    return null;
  }

  @Override
  public String toString() {
    return "ArgumentsStart[" + id + ", " + type.getName() + "]";
  }
}

package dev.supervision.core.supervisor;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A dynamic supervisor's configuration (Elixir's DynamicSupervisor): one-for-one over children
 * started at run time, with an optional maximum.
 *
 * @param name a name for logs, events and metrics; not blank
 * @param maxRestarts restarts allowed within {@code within}; {@code >= 0}; default 3
 * @param within the intensity window; {@code > 0}; default 5 seconds
 * @param maxChildren the most children at once (those restarting included), or {@code 0} for no
 *     limit (Elixir's {@code :infinity}); {@code >= 0}
 * @param backoff the children's backoff before a restart, unless a child has its own; default
 *     {@link Backoff#NONE}
 * @param extraArguments handed to every start and restart of a child made with {@link
 *     ChildSpec#worker(String, Class, ChildStart.WithArguments)} (Elixir's {@code
 *     extra_arguments}); default none (null)
 */
public record DynamicSupervisorSpec(
    String name,
    int maxRestarts,
    Duration within,
    int maxChildren,
    Backoff backoff,
    @Nullable Object extraArguments) {

  /**
   * Validates the spec.
   *
   * @throws InvalidSpecException naming the invalid value and what is allowed
   */
  public DynamicSupervisorSpec {
    name = SupervisorSpec.requireName(name);
    if (backoff == null) {
      throw new InvalidSpecException(
          "dynamic supervisor '" + name + "' has no backoff (use Backoff.NONE)");
    }
    SupervisorSpec.requireIntensity(name, maxRestarts, within);
    if (maxChildren < 0) {
      throw new InvalidSpecException(
          "dynamic supervisor '"
              + name
              + "': maxChildren must be >= 0 (0 = no limit) but was "
              + maxChildren,
          name,
          "maxChildren");
    }
  }

  /*
   * Elixir's {:invalid_significant, true}: a dynamic supervisor has no auto-shutdown, so no child of
   * it may be significant. `supervisor` names it where the caller knows its name.
   */
  static void requireNotSignificant(@Nullable String supervisor, ChildSpec child) {
    if (child.significant()) {
      throw new InvalidSpecException(
          "child spec '"
              + child.id()
              + "' is significant, but "
              + (supervisor == null
                  ? "a dynamic supervisor"
                  : "dynamic supervisor '" + supervisor + "'")
              + " has no auto-shutdown; make the child not significant, or put it under a static"
              + " supervisor with ANY_SIGNIFICANT or ALL_SIGNIFICANT",
          child.id(),
          "significant");
    }
  }

  /** A spec without extra arguments. */
  public DynamicSupervisorSpec(
      String name, int maxRestarts, Duration within, int maxChildren, Backoff backoff) {
    this(name, maxRestarts, within, maxChildren, backoff, null);
  }

  /** A spec without backoff nor extra arguments. */
  public DynamicSupervisorSpec(String name, int maxRestarts, Duration within, int maxChildren) {
    this(name, maxRestarts, within, maxChildren, Backoff.NONE);
  }

  /** The defaults: OTP's intensity, no child limit, no backoff. */
  public static DynamicSupervisorSpec of(String name) {
    return new DynamicSupervisorSpec(
        name, SupervisorSpec.DEFAULT_MAX_RESTARTS, SupervisorSpec.DEFAULT_WITHIN, 0);
  }

  /** A copy with {@code maxRestarts} in {@code within}. */
  public DynamicSupervisorSpec withIntensity(int maxRestarts, Duration within) {
    return new DynamicSupervisorSpec(
        name, maxRestarts, within, maxChildren, backoff, extraArguments);
  }

  /** A copy with at most {@code maxChildren} children (0 = no limit). */
  public DynamicSupervisorSpec withMaxChildren(int maxChildren) {
    return new DynamicSupervisorSpec(
        name, maxRestarts, within, maxChildren, backoff, extraArguments);
  }

  /** A copy whose children wait out {@code backoff} before a restart, unless their own says. */
  public DynamicSupervisorSpec withBackoff(Backoff backoff) {
    return new DynamicSupervisorSpec(
        name, maxRestarts, within, maxChildren, backoff, extraArguments);
  }

  /**
   * A copy whose children made with {@link ChildSpec#worker(String, Class,
   * ChildStart.WithArguments)} get {@code arguments} at every start and restart (Elixir's {@code
   * extra_arguments}). One value, of any type; a record holds several.
   */
  public DynamicSupervisorSpec withExtraArguments(Object arguments) {
    return new DynamicSupervisorSpec(
        name,
        maxRestarts,
        within,
        maxChildren,
        backoff,
        Objects.requireNonNull(arguments, "arguments"));
  }

  /** The child limit, if any. */
  public OptionalInt childLimit() {
    return maxChildren == 0 ? OptionalInt.empty() : OptionalInt.of(maxChildren);
  }
}

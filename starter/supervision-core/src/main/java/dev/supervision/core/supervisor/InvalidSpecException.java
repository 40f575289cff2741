package dev.supervision.core.supervisor;

import org.jspecify.annotations.Nullable;

/**
 * A child or supervisor spec is invalid (OTP's {@code supervisor_data} and {@code start_spec}
 * errors). The message names the value and what is allowed.
 *
 * <p>Where the error lies in one named spec, {@link #subject()} is that supervisor's name or that
 * child's id and {@link #component()} the spec component at fault, so that a layer which built the
 * spec from its own configuration can point at the setting to change (the Spring layer turns {@code
 * ("rooms", "parent")} into {@code supervision.supervisors.rooms.parent}).
 */
public final class InvalidSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String subject;
  private final @Nullable String component;

  InvalidSpecException(String message) {
    this(message, null, null);
  }

  InvalidSpecException(String message, @Nullable String subject, @Nullable String component) {
    super(message);
    this.subject = subject;
    this.component = component;
  }

  /**
   * The name of the supervisor, or the id of the child, whose spec is invalid; {@code null} when
   * the error is not about one named spec (a blank name, for example).
   */
  public @Nullable String subject() {
    return subject;
  }

  /**
   * The component of the {@linkplain #subject() subject}'s spec that is invalid, named as the spec
   * record's component or {@link TreeSpec}'s word for it: {@code maxRestarts}, {@code within},
   * {@code maxChildren}, {@code children}, {@code restart}, {@code significant}, {@code name},
   * {@code parent} (of a supervisor of a tree) or {@code supervisor} (of a child added to a tree);
   * {@code null} when not known.
   */
  public @Nullable String component() {
    return component;
  }
}

package dev.supervision.sample;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rule for user, room and counter names: 1 to 32 letters, digits, {@code .}, {@code _} or
 * {@code -}, and not only dots (so that a name is always a usable path segment).
 */
public final class Names {
  /** The longest allowed name. */
  public static final int MAX_LENGTH = 32;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");
  private static final Pattern DOTS = Pattern.compile("\\.+");

  private Names() {}

  /** Whether {@code name} follows the rule. */
  public static boolean isValid(@Nullable String name) {
    return name != null && VALID.matcher(name).matches() && !DOTS.matcher(name).matches();
  }

  /**
   * Returns {@code name} if it follows the rule.
   *
   * @param what what the name is, for the message ("username", "room name")
   * @throws ApiException.BadRequest naming the rule otherwise
   */
  public static String require(String what, @Nullable String name) {
    if (name == null) {
      throw ApiException.badRequest(what + " is required");
    }
    if (!isValid(name)) {
      throw ApiException.badRequest(
          what
              + " must be 1 to "
              + MAX_LENGTH
              + " letters, digits, '.', '_' or '-' (not only dots) but was '"
              + printable(name)
              + "'");
    }
    return name;
  }

  /* The name with control characters escaped and cut to a readable length, for messages. */
  private static String printable(String name) {
    StringBuilder b = new StringBuilder();
    name.codePoints()
        .limit(64)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    if (name.codePointCount(0, name.length()) > 64) {
      b.append("...");
    }
    return b.toString();
  }
}

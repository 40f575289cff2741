package dev.supervision.hazelcast;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How a {@link ClusterNode} behaves on its cluster.
 *
 * {@snippet :
 * ClusterOptions options =
 *     ClusterOptions.DEFAULTS.withMinimumSize(2).withAllowedClasses("com.example.chat.**");
 * }
 *
 * @param minimumSize members a side of the cluster needs to register names (split-brain
 *     protection): below it, registrations fail with {@link NoQuorumException}; {@code 1} (the
 *     default) never refuses. Use a majority ({@code n / 2 + 1} of {@code n} members) so that two
 *     sides of a partition cannot both take a name.
 * @param allowedClasses the classes messages between members may contain, besides the built-in
 *     {@code java.lang.*}, {@code java.util.*}, {@code java.time.*}, {@code java.math.*} and this
 *     module's own: patterns of {@link java.io.ObjectInputFilter.Config#createFilter} ({@code
 *     com.example.Message}, {@code com.example.*} for a package, {@code com.example.**} for a
 *     package and its subpackages)
 */
public record ClusterOptions(int minimumSize, List<String> allowedClasses) {

  /** Minimum size 1, and only the built-in classes allowed. */
  public static final ClusterOptions DEFAULTS = new ClusterOptions(1, List.of());

  /** Validates the options. */
  public ClusterOptions {
    if (minimumSize < 1) {
      throw new IllegalArgumentException("minimumSize must be >= 1 but was " + minimumSize);
    }
    allowedClasses = List.copyOf(Objects.requireNonNull(allowedClasses, "allowedClasses"));
    for (String pattern : allowedClasses) {
      if (pattern.isBlank() || pattern.contains(";") || pattern.startsWith("!")) {
        throw new IllegalArgumentException(
            "allowedClasses holds class name patterns such as com.example.** but had '"
                + pattern
                + "'");
      }
    }
  }

  /** These options with {@code minimumSize}. */
  public ClusterOptions withMinimumSize(int minimumSize) {
    return new ClusterOptions(minimumSize, allowedClasses);
  }

  /** These options, allowing the classes that {@code patterns} match too. */
  public ClusterOptions withAllowedClasses(String... patterns) {
    return new ClusterOptions(
        minimumSize, Stream.concat(allowedClasses.stream(), Stream.of(patterns)).toList());
  }
}

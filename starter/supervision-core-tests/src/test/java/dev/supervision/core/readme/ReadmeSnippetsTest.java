package dev.supervision.core.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/*
 * Every ```java block of README.md must appear, line by line in order (indentation and line
 * breaks aside), in a compiled source of the project: the README quotes tested code, it does not
 * hold code of its own.
 */
final class ReadmeSnippetsTest {

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("README.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    StringBuilder current = null;
    for (String line : markdown.split("\n", -1)) {
      if (current == null && line.strip().equals("```java")) {
        current = new StringBuilder();
      } else if (current != null && line.strip().equals("```")) {
        blocks.add(current.toString());
        current = null;
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    return blocks;
  }

  /* Whitespace-free text, so that formatting and wrapping do not matter. */
  static String squeeze(String text) {
    return text.replaceAll("\\s+", "");
  }

  @Test
  void everyJavaBlockOfTheReadmeIsQuotedFromACompiledSource() throws IOException {
    Path root = root();
    List<String> blocks = javaBlocks(Files.readString(root.resolve("README.md")));
    String sources;
    try (Stream<Path> files = Files.walk(root)) {
      sources =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/"))
              .filter(p -> !p.toString().contains("/target/"))
              .map(
                  p -> {
                    try {
                      return squeeze(Files.readString(p));
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .collect(Collectors.joining("\u0000"));
    }
    assertThat(blocks).isNotEmpty();
    for (String block : blocks) {
      assertThat(sources)
          .as("README block not found in any compiled source:%n%s", block)
          .contains(squeeze(block));
    }
  }

  @Test
  void theCheckFindsABlockThatIsNotInAnySource() {
    List<String> blocks = javaBlocks("text\n```java\nint x = 1;\n```\nmore\n");
    assertThat(blocks).containsExactly("int x = 1;\n");
    assertThat(squeeze("a b\n  c")).isEqualTo("abc");
  }
}

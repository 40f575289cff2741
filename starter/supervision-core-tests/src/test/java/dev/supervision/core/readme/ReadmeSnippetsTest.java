package dev.supervision.core.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/*
 * Every ```java block of README.md must appear, line by line in order (indentation and line
 * breaks aside), in a compiled source of the project: the README quotes tested code, it does not
 * hold code of its own.
 */
final class ReadmeSnippetsTest {

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

  @Test
  void everyJavaBlockOfTheReadmeIsQuotedFromACompiledSource() throws IOException {
    Path root = SourceTree.root();
    List<String> blocks = javaBlocks(Files.readString(root.resolve("README.md")));
    String sources =
        SourceTree.squeezed(SourceTree.javaFiles(root, path -> path.contains("/src/")));
    assertThat(blocks).isNotEmpty();
    for (String block : blocks) {
      assertThat(sources)
          .as("README block not found in any compiled source:%n%s", block)
          .contains(SourceTree.squeeze(block));
    }
  }

  @Test
  void theCheckFindsABlockThatIsNotInAnySource() {
    List<String> blocks = javaBlocks("text\n```java\nint x = 1;\n```\nmore\n");
    assertThat(blocks).containsExactly("int x = 1;\n");
    assertThat(SourceTree.squeeze("a b\n  c")).isEqualTo("abc");
  }
}

package dev.supervision.core.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * Every Java example in the Javadoc of the project's main sources -- each inline snippet tag and
 * each pre block, with a code tag or without -- must appear, whitespace aside, in a test source
 * (src/test/java of any module), where it compiles and, where it shows behaviour, runs under
 * assertions of what the Javadoc says (the *JavadocTest classes). So an example cannot drift from
 * the API: renaming a method breaks the test that quotes it, and the fix goes into the Javadoc.
 *
 * Javadoc's escapes (the HTML entities for the at sign, angle brackets and ampersand, and literal
 * tags) are undone before comparing.
 */
final class JavadocSnippetsTest {

  /* An example found in a Javadoc comment: where it starts, and its code as the reader sees it. */
  record Snippet(String file, int line, String code) {
    @Override
    public String toString() {
      return file + ":" + line + "\n" + code;
    }
  }

  private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
  private static final Pattern LEADING_STAR = Pattern.compile("(?m)^[ \\t]*\\*(?![/*]) ?");
  private static final Pattern INLINE_SNIPPET = Pattern.compile("\\{@snippet\\b[^:{}]*:");
  private static final Pattern PRE = Pattern.compile("<pre>\\s*(\\{@code\\b)?");
  private static final Pattern LITERAL = Pattern.compile("\\{@literal ([^{}]*)}");

  /*
   * <pre> blocks that are command lines (the benchmarks' "java -cp benchmarks.jar ..." usage) are
   * not Java: no source can compile them, so they are left out here, and only they. Any other
   * <pre> block counts as Java and must be quoted.
   */
  private static final Pattern COMMAND_LINE =
      Pattern.compile("^\\s*(\\$ |java |javac |jshell |mvn |\\./mvnw |curl |docker )");

  /* The examples of one source file's Javadoc comments, in order; command lines left out. */
  static List<Snippet> snippets(String file, String source) {
    List<Snippet> snippets = new ArrayList<>();
    Matcher comment = JAVADOC.matcher(source);
    while (comment.find()) {
      int commentLine = lineOf(source, comment.start(1));
      String text = comment.group(1);
      /*
       * Strip each line's leading " * " in place (the first line has none), so that offsets in the
       * stripped text still map to lines by counting newlines.
       */
      String stripped = LEADING_STAR.matcher(text).replaceAll("");
      for (Block block : blocks(stripped)) {
        if (!COMMAND_LINE.matcher(block.code()).find()) {
          snippets.add(
              new Snippet(
                  file, commentLine + lineOf(stripped, block.start()) - 1, unescape(block.code())));
        }
      }
    }
    return snippets;
  }

  private record Block(int start, String code) {}

  /* The inline snippets and <pre> blocks of one comment whose leading stars are stripped. */
  private static List<Block> blocks(String comment) {
    List<Block> blocks = new ArrayList<>();
    Matcher snippet = INLINE_SNIPPET.matcher(comment);
    while (snippet.find()) {
      int end = closingBrace(comment, snippet.end());
      blocks.add(new Block(snippet.start(), comment.substring(snippet.end(), end)));
    }
    Matcher pre = PRE.matcher(comment);
    while (pre.find()) {
      int end =
          pre.group(1) != null
              ? closingBrace(comment, pre.end())
              : comment.indexOf("</pre>", pre.end());
      if (end < 0) {
        throw new IllegalArgumentException("<pre> without </pre>: " + comment);
      }
      blocks.add(new Block(pre.start(), comment.substring(pre.end(), end)));
    }
    blocks.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return blocks;
  }

  /*
   * The index of the brace that closes an inline tag whose body starts at `from`: braces in the
   * body must balance, as javadoc itself requires of an inline snippet or code tag.
   */
  private static int closingBrace(String text, int from) {
    int depth = 1;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced braces after: " + text.substring(from));
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  static String unescape(String code) {
    return LITERAL
        .matcher(code)
        .replaceAll(match -> Matcher.quoteReplacement(match.group(1)))
        .replace("&#64;", "@")
        .replace("&#123;", "{")
        .replace("&#125;", "}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
  }

  /* The snippets that `squeezedSources` (see SourceTree.squeezed) does not quote. */
  static List<Snippet> unquoted(List<Snippet> snippets, String squeezedSources) {
    return snippets.stream()
        .filter(snippet -> !squeezedSources.contains(SourceTree.squeeze(snippet.code())))
        .toList();
  }

  @Test
  void everyJavaExampleInTheJavadocOfMainSourcesIsQuotedFromATestSource() {
    Path root = SourceTree.root();
    List<Snippet> snippets = new ArrayList<>();
    for (Path file : SourceTree.javaFiles(root, path -> path.contains("/src/main/java/"))) {
      snippets.addAll(snippets(root.relativize(file).toString(), SourceTree.read(file)));
    }
    String tests =
        SourceTree.squeezed(SourceTree.javaFiles(root, path -> path.contains("/src/test/java/")));

    assertThat(snippets)
        .extracting(snippet -> snippet.file().substring(0, snippet.file().indexOf("/src/")))
        .contains(
            "starter/supervision-core",
            "starter/supervision-test",
            "starter/supervision-spring-boot");
    assertThat(unquoted(snippets, tests))
        .as(
            "Javadoc examples that no test source quotes; put each, verbatim, in a test that"
                + " compiles and runs it (see the *JavadocTest classes), fixing the Javadoc if the"
                + " example is wrong")
        .isEmpty();
  }

  @Nested
  final class TheExtractor {
    private static final String SOURCE =
        """
        package demo;

        /**
         * Does things.
         *
         * {@snippet :
         * Map<String, List<Integer>> m = new HashMap<>();
         * if (m.isEmpty()) {
         *   m.put("a", List.of(1));
         * }
         * }
         *
         * <pre>{@code
         * &#64;Override
         * public String toString() { return "a &lt; b"; }
         * }</pre>
         *
         * <pre>java -cp benchmarks.jar demo.Main 1000</pre>
         */
        final class Demo {}
        """;

    @Test
    void findsInlineSnippetsAndPreCodeBlocksUnescapedWithTheirLinesButNoCommandLines() {
      List<Snippet> snippets = snippets("Demo.java", SOURCE);

      assertThat(snippets).extracting(Snippet::line).containsExactly(6, 13);
      assertThat(snippets.get(0).code())
          .isEqualTo(
              """

              Map<String, List<Integer>> m = new HashMap<>();
              if (m.isEmpty()) {
                m.put("a", List.of(1));
              }
              """);
      assertThat(snippets.get(1).code())
          .isEqualTo(
              """

              @Override
              public String toString() { return "a < b"; }
              """);
    }

    @Test
    void reportsTheSnippetThatNoSourceQuotes_notTheOneQuotedWithOtherLineBreaks() {
      List<Snippet> snippets = snippets("Demo.java", SOURCE);
      String sources =
          SourceTree.squeeze(
              """
              void example() {
                Map<String, List<Integer>> m =
                    new HashMap<>();
                if (m.isEmpty()) {
                  m.put("a", List.of(1));
                }
              }
              """);

      assertThat(unquoted(snippets, sources)).containsExactly(snippets.get(1));
    }

    @Test
    void failsOnAnInlineSnippetWhoseBracesDoNotBalance() {
      String source = "/**\n * {@snippet :\n * if (x) {\n */\nclass Broken {}\n";

      assertThatIllegalArgumentException()
          .isThrownBy(() -> snippets("Broken.java", source))
          .withMessageContaining("unbalanced braces");
    }
  }
}

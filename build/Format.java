/*
 * Formats or checks every Java source of the project with google-java-format.
 *
 * Run by the root pom on the toolchain's JDK (google-java-format parses with the running JDK's
 * javac, so it must be a JDK that knows Java 21 syntax):
 *   java -cp google-java-format.jar:guava.jar build/Format.java check|apply <project root>
 */
import com.google.googlejavaformat.java.Formatter;
import com.google.googlejavaformat.java.FormatterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

public final class Format {
  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !(args[0].equals("check") || args[0].equals("apply"))) {
      System.err.println("usage: Format check|apply <project root>");
      System.exit(2);
    }
    boolean apply = args[0].equals("apply");
    Path root = Path.of(args[1]);
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(root)) {
      sources =
          walk.filter(p -> p.toString().endsWith(".java"))
              .filter(p -> root.relativize(p).toString().contains("src" + java.io.File.separator))
              .filter(p -> !isIgnored(root.relativize(p)))
              .sorted()
              .toList();
    }
    Formatter formatter = new Formatter();
    List<Path> unformatted = new ArrayList<>();
    int errors = 0;
    for (Path source : sources) {
      String text = Files.readString(source, StandardCharsets.UTF_8);
      String formatted;
      try {
        formatted = formatter.formatSourceAndFixImports(text);
      } catch (FormatterException e) {
        System.err.println(root.relativize(source) + ": " + e.getMessage());
        errors++;
        continue;
      }
      if (!formatted.equals(text)) {
        if (apply) {
          Files.writeString(source, formatted, StandardCharsets.UTF_8);
          System.out.println("formatted " + root.relativize(source));
        } else {
          unformatted.add(root.relativize(source));
        }
      }
    }
    if (errors > 0) {
      System.exit(1);
    }
    if (!unformatted.isEmpty()) {
      System.err.println(
          "These files are not formatted with google-java-format;"
              + " run ./mvnw validate -Dformat=apply to fix them:");
      unformatted.forEach(p -> System.err.println("  " + p));
      System.exit(1);
    }
    System.out.println("google-java-format: " + sources.size() + " files " + (apply ? "formatted" : "checked"));
  }

  private static boolean isIgnored(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}

package dev.supervision.core.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/*
 * The project's source files, for the tests that check that documentation (README.md, Javadoc
 * snippets) quotes compiled code: where the project is, which Java files it has, and their text
 * with whitespace removed so that formatting and line wrapping do not matter.
 */
final class SourceTree {
  private SourceTree() {}

  /* The project's root: the nearest directory above the working directory holding README.md. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("README.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /* Every .java file under `root` whose path (with '/' separators) `accepts`; build output skipped. */
  static List<Path> javaFiles(Path root, Predicate<String> accepts) {
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
              boolean skipped =
                  !dir.equals(root)
                      && (name.equals("target")
                          || name.equals("node_modules")
                          || name.startsWith("."));
              return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              String path = file.toString().replace('\\', '/');
              if (path.endsWith(".java") && accepts.test(path)) {
                files.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(null);
    return files;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /* The files' texts, squeezed, separated by NUL so that no quote spans two files. */
  static String squeezed(List<Path> files) {
    return files.stream().map(file -> squeeze(read(file))).collect(Collectors.joining("\u0000"));
  }

  /* Whitespace-free text, so that formatting and wrapping do not matter. */
  static String squeeze(String text) {
    return text.replaceAll("\\s+", "");
  }
}

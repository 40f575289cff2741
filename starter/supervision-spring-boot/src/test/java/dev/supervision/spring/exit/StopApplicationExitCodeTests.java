package dev.supervision.spring.exit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/* supervision.root.on-give-up=stop-application, seen from outside: the JVM's exit status. */
final class StopApplicationExitCodeTests {

  @Test
  void aRootThatGivesUpEndsTheJvmWithTheConfiguredExitCode(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("output.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    GiveUpApplication.class.getName()))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .directory(new File(System.getProperty("user.dir")))
            .start();
    try {
      assertThat(process.waitFor(120, TimeUnit.SECONDS))
          .as("the application exited; its output:%n%s", Files.readString(output))
          .isTrue();
      assertThat(process.exitValue())
          .as("exit status; the application's output:%n%s", Files.readString(output))
          .isEqualTo(3);
    } finally {
      process.destroyForcibly().waitFor();
    }
  }
}

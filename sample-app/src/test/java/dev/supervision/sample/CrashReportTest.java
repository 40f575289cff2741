package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/*
 * A crash as the application's log shows it. A context of its own: supervisor reports reach
 * Logback through java.util.logging and the SLF4J bridge that Boot installs when a context starts,
 * and removes when a context closes (other test classes close theirs).
 */
@SampleAppTest
@TestPropertySource(properties = "logging.level.dev.supervision.core.supervisor=ERROR")
@ExtendWith(OutputCaptureExtension.class)
final class CrashReportTest {
  @LocalServerPort int port;

  @Test
  void aRoomsCrashIsLoggedAtErrorNamingTheRoomWithItsStackTrace(CapturedOutput output) {
    Api api = new Api(port);
    String room = api.room();
    String pid = api.get("/api/rooms/" + room).json().get("pid").asString();

    assertThat(api.post("/api/rooms/" + room + "/crash").status()).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(output.getOut())
                    .containsPattern(
                        "ERROR .* supervisor 'rooms' child_terminated: child 'room' registered as"
                            + " via\\(room-names, "
                            + Pattern.quote(room)
                            + "\\), pid "
                            + Pattern.quote(pid.substring(0, pid.length() - 1))
                            + " [^>]*>, reason: crashed: ")
                    .containsPattern(
                        "Crash: room '"
                            + Pattern.quote(room)
                            + "' crashed on request\\R\\s+at .*RoomServer\\.handle\\("));
  }
}

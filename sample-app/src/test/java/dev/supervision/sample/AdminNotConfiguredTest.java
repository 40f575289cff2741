package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Without {@code chat.admin.password} there is no administrator, and no default password. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:sample-${random.uuid};DB_CLOSE_DELAY=-1")
@ExtendWith(OutputCaptureExtension.class)
final class AdminNotConfiguredTest {
  @LocalServerPort int port;

  @Test
  void adminOperationsAnswer403AndTheLogSaysHowToEnableThem(CapturedOutput output) {
    Api api = new Api(port);
    String body = Api.json(Map.of("child", "user-manager", "action", "restart"));

    api.post("/actuator/supervisors/root", body).problem(403);
    api.send(
            HttpRequest.newBuilder(api.uri("/actuator/supervisors/root"))
                .header("Content-Type", "application/json")
                .header("Authorization", Api.basic("admin", "admin"))
                .POST(HttpRequest.BodyPublishers.ofString(body)))
        .problem(403);

    assertThat(output.getAll())
        .contains("No administrator configured", "chat.admin.password")
        .doesNotContain("generated security password");
    assertThat(api.get("/actuator/supervisors").status()).isEqualTo(200);
    assertThat(api.post("/api/users", Api.json(Map.of("username", Api.unique("u")))).status())
        .isEqualTo(201);
  }
}

package dev.supervision.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.spring.SupervisorNamed;
import dev.supervision.spring.it.DemoApplication.Greeter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/* The default supervision.health.probe (readiness), seen by a probe over HTTP. */
@SpringBootTest(
    classes = DemoApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health",
      "supervision.root.max-restarts=0",
      "supervision.supervisors.workers.max-restarts=0"
    })
@DirtiesContext
final class GiveUpProbesTests {
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Autowired
  @SupervisorNamed("workers")
  SupervisorRef workers;

  @Test
  void aRootThatGaveUpTurnsTheReadinessProbeNotTheLivenessOne() throws Exception {
    assertThat(status("/actuator/health/readiness")).isEqualTo(200);
    Pid greeter = null;
    for (ChildInfo child : workers.whichChildren()) {
      if (child.id().equals("greeter")) {
        greeter = child.pid();
      }
    }
    assertThat(greeter).isNotNull();

    ServerRef.<Greeter.Message>of(greeter).cast(Greeter.Crash.INSTANCE);

    await().atMost(Duration.ofSeconds(10)).until(() -> status("/actuator/health/readiness") == 503);
    assertThat(status("/actuator/health")).isEqualTo(503);
    assertThat(status("/actuator/health/liveness")).isEqualTo(200);
  }

  private int status(String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}

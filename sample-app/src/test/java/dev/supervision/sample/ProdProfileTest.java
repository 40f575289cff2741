package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** Under the {@code prod} profile the crash endpoints do not exist. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:sample-${random.uuid};DB_CLOSE_DELAY=-1")
@ActiveProfiles("prod")
final class ProdProfileTest {
  @LocalServerPort int port;

  @Test
  void crashEndpointsAnswer404() {
    Api api = new Api(port);
    String room = api.room();
    api.post("/api/counters/c/increment");

    api.post("/api/rooms/" + room + "/crash").problem(404);
    api.post("/api/counters/c/crash").problem(404);
    assertThat(api.get("/api/rooms/" + room).status()).isEqualTo(200);
  }
}

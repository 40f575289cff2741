package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/* Anyone may create rooms and counters, each a process: max-children bounds how many run. */
@SampleAppTest
@TestPropertySource(
    properties = {
      "supervision.supervisors.counters.max-children=2",
      "supervision.supervisors.rooms.max-children=2"
    })
final class LimitsTest {
  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  @Nested
  final class Counters {
    @Test
    void aNewCounterBeyondTheLimitIsRefusedWith429UntilOneIsDeleted() {
      String first = Api.unique("c");
      String second = Api.unique("c");
      assertThat(api.post("/api/counters/" + first + "/increment").status()).isEqualTo(202);
      assertThat(api.post("/api/counters/" + second + "/increment").status()).isEqualTo(202);

      String third = Api.unique("c");
      JsonNode problem = api.post("/api/counters/" + third + "/increment").problem(429);

      assertThat(problem.get("title").asString()).isEqualTo("Limit Reached");
      assertThat(problem.get("detail").asString())
          .contains(third)
          .contains("maximum of 2 children");
      assertThat(api.post("/api/counters/" + first + "/increment").status())
          .as("an existing counter still counts")
          .isEqualTo(202);

      assertThat(api.delete("/api/counters/" + first).status()).isEqualTo(204);
      assertThat(api.post("/api/counters/" + third + "/increment").status()).isEqualTo(202);
      assertThat(api.delete("/api/counters/" + second).status()).isEqualTo(204);
      assertThat(api.delete("/api/counters/" + third).status()).isEqualTo(204);
    }
  }

  @Nested
  final class Rooms {
    @Test
    void aNewRoomBeyondTheLimitIsRefusedWith429AndNotStored() {
      api.room();
      api.room();
      String third = Api.unique("r");

      api.post("/api/rooms", Api.json(Map.of("name", third))).problem(429);

      api.get("/api/rooms/" + third).problem(404);
    }
  }
}

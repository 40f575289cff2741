package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SampleAppTest
final class UserApiTest {
  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  @Nested
  final class Register {
    @Test
    void answers201WithTheUserAndItsLocation() {
      String name = Api.unique("Al.ice_");

      Api.Response response = api.post("/api/users", Api.json(Map.of("username", name)));

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.header("Location")).isEqualTo("/api/users/" + name);
      assertThat(response.json().get("username").asString()).isEqualTo(name);
      assertThat(response.json().get("createdAt").asString()).isNotBlank();
    }

    @Test
    void answers409WhenTheNameIsTaken() {
      String name = api.user();

      JsonNode problem = api.post("/api/users", Api.json(Map.of("username", name))).problem(409);

      assertThat(problem.get("detail").asString()).contains(name);
    }

    @Test
    void acceptsThirtyTwoCharacters() {
      String name = Api.unique("x");
      name = name + "y".repeat(32 - name.length());
      assertThat(api.post("/api/users", Api.json(Map.of("username", name))).status())
          .isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "a b",
          "a/b",
          "..",
          ".",
          "a\u0000b",
          "<script>",
          "é",
          "a;b",
          "abcdefghijklmnopqrstuvwxyz0123456"
        })
    void answers400ForAnInvalidName(String name) {
      JsonNode problem = api.post("/api/users", Api.json(Map.of("username", name))).problem(400);
      assertThat(problem.get("detail").asString()).contains("username");
    }

    @Test
    void answers400WithoutAName() {
      api.post("/api/users", "{}").problem(400);
      api.post("/api/users", "{\"username\":null}").problem(400);
    }
  }

  @Nested
  final class Get {
    @Test
    void answersTheUser() {
      String name = api.user();

      Api.Response response = api.get("/api/users/" + name);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().get("username").asString()).isEqualTo(name);
    }

    @Test
    void answers404ForAnUnknownUser() {
      api.get("/api/users/" + Api.unique("nobody")).problem(404);
    }
  }
}

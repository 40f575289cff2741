package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SampleAppTest
final class CounterApiTest {
  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  private long value(String name) {
    Api.Response response = api.get("/api/counters/" + name);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("value").asLong();
  }

  @Nested
  final class Increment {
    @Test
    void isAcceptedAndCreatesTheCounterOnFirstUse() {
      String name = Api.unique("c");
      assertThat(api.get("/api/counters/" + name).status()).isEqualTo(404);

      assertThat(api.post("/api/counters/" + name + "/increment").status()).isEqualTo(202);

      await().atMost(Duration.ofSeconds(5)).until(() -> value(name) == 1);
    }

    @Test
    void addsOnePerRequest() {
      String name = Api.unique("c");
      for (int i = 0; i < 25; i++) {
        assertThat(api.post("/api/counters/" + name + "/increment").status()).isEqualTo(202);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> value(name) == 25);
    }

    @Test
    void refusesAnInvalidNameWith400() {
      api.post("/api/counters/a%20b/increment").problem(400);
      api.post("/api/counters/..../increment").problem(400);
      api.post("/api/counters/" + "x".repeat(33) + "/increment").problem(400);
    }
  }

  @Nested
  final class Get {
    @Test
    void answersTheNameAndValue() {
      String name = Api.unique("c");
      api.post("/api/counters/" + name + "/increment");
      await().atMost(Duration.ofSeconds(5)).until(() -> value(name) == 1);

      JsonNode counter = api.get("/api/counters/" + name).json();

      assertThat(counter.get("name").asString()).isEqualTo(name);
      assertThat(counter.get("value").asLong()).isEqualTo(1);
    }

    @Test
    void answers404ForAnUnknownCounter() {
      JsonNode problem = api.get("/api/counters/" + Api.unique("nope")).problem(404);
      assertThat(problem.get("detail").asString()).contains("does not exist");
    }
  }

  @Nested
  final class List {
    @Test
    void showsEveryCounterWithItsValue() {
      String a = Api.unique("c");
      String b = Api.unique("c");
      api.post("/api/counters/" + a + "/increment");
      api.post("/api/counters/" + b + "/increment");
      api.post("/api/counters/" + b + "/increment");
      await().atMost(Duration.ofSeconds(5)).until(() -> value(b) == 2);

      JsonNode list = api.get("/api/counters").json();

      assertThat(list.isArray()).isTrue();
      assertThat(find(list, a).get("value").asLong()).isEqualTo(1);
      assertThat(find(list, b).get("value").asLong()).isEqualTo(2);
    }

    private JsonNode find(JsonNode list, String name) {
      for (JsonNode counter : list) {
        if (counter.get("name").asString().equals(name)) {
          return counter;
        }
      }
      throw new AssertionError(name + " not in " + list);
    }
  }

  @Nested
  final class Delete {
    @Test
    void stopsTheCounterAndForgetsIt() {
      String name = Api.unique("c");
      api.post("/api/counters/" + name + "/increment");
      await().atMost(Duration.ofSeconds(5)).until(() -> value(name) == 1);

      assertThat(api.delete("/api/counters/" + name).status()).isEqualTo(204);

      api.get("/api/counters/" + name).problem(404);
      api.delete("/api/counters/" + name).problem(404);
    }

    @Test
    void answers404ForAnUnknownCounter() {
      api.delete("/api/counters/" + Api.unique("nope")).problem(404);
    }
  }

  @Nested
  final class Crash {
    @Test
    void restartsTheCounterAtZeroAndCountsTheRestart() {
      String name = Api.unique("c");
      for (int i = 0; i < 3; i++) {
        api.post("/api/counters/" + name + "/increment");
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> value(name) == 3);
      double before = Metrics.restarts(api, "counters", "counter");

      assertThat(api.post("/api/counters/" + name + "/crash").status()).isEqualTo(202);

      await().atMost(Duration.ofSeconds(5)).until(() -> value(name) == 0);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Metrics.restarts(api, "counters", "counter") >= before + 1);
      assertThat(Metrics.scrape(api)).doesNotContain("\"" + name + "\"");
      api.post("/api/counters/" + name + "/increment");
      await().atMost(Duration.ofSeconds(5)).until(() -> value(name) == 1);
    }

    @Test
    void answers404ForAnUnknownCounter() {
      api.post("/api/counters/" + Api.unique("nope") + "/crash").problem(404);
    }
  }
}

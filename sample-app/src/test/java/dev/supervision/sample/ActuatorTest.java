package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SampleAppTest
final class ActuatorTest {
  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  @Nested
  final class Health {
    @Test
    void showsTheSupervisionComponentWithRestartCounts() {
      JsonNode health = api.get("/actuator/health").json();

      assertThat(health.get("status").asString()).isEqualTo("UP");
      JsonNode supervision = health.get("components").get("supervision");
      assertThat(supervision.get("status").asString()).isEqualTo("UP");
      JsonNode supervisors = supervision.get("details").get("supervisors");
      for (String name : new String[] {"root", "rooms", "counters"}) {
        assertThat(supervisors.get(name).has("restarts")).as(name).isTrue();
      }
    }
  }

  @Nested
  final class Prometheus {
    @Test
    void exportsTheChatAndSupervisionMetersTaggedWithTheApplication() {
      String user = api.user();
      String room = api.room();
      api.message(room, user, "counted");
      api.post("/api/counters/" + Api.unique("c") + "/increment");
      api.get("/api/workers");

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                String scrape = Metrics.scrape(api);
                assertThat(Metrics.sum(scrape, "chat_messages_total")).isGreaterThanOrEqualTo(1);
                assertThat(Metrics.sum(scrape, "chat_rooms")).isGreaterThanOrEqualTo(1);
                assertThat(Metrics.sum(scrape, "chat_counters")).isGreaterThanOrEqualTo(1);
                assertThat(scrape)
                    .contains("http_server_requests_seconds_bucket{")
                    .contains("application=\"sample-app\"")
                    .contains("supervision_children{")
                    .contains("supervision_registry_entries{")
                    .contains("supervision_loadbalancer_dispatches_total{")
                    .contains("supervision_processes");
              });
    }
  }

  @Nested
  final class Supervisors {
    @Test
    void showsTheTreeToAnyone() {
      JsonNode tree = api.get("/actuator/supervisors").json();

      JsonNode root = tree.get("supervisors").get(0);
      assertThat(root.get("name").asString()).isEqualTo("root");
      assertThat(root.get("children").findValuesAsString("id"))
          .contains("rooms", "counters", "user-manager");
    }

    @Test
    void refusesAWriteWithoutCredentials() {
      Api.Response response =
          api.post(
              "/actuator/supervisors/root",
              Api.json(Map.of("child", "user-manager", "action", "restart")));
      response.problem(401);
      assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void refusesAWriteWithAWrongPassword() {
      write(Api.basic(SampleAppTest.ADMIN, "wrong")).problem(401);
    }

    @Test
    void letsTheAdministratorRestartAChild() {
      String before = pidOf("user-manager");

      Api.Response response = write(Api.basic(SampleAppTest.ADMIN, SampleAppTest.ADMIN_PASSWORD));

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> !before.equals(pidOf("user-manager")));
      assertThat(api.get("/api/users/" + api.user()).status()).isEqualTo(200);
    }

    @Test
    void aRoomWhoseServerTheAdministratorTerminatedIsStartedAgainOnFirstUse() {
      String room = api.room();
      String pid = api.get("/api/rooms/" + room).json().get("pid").asString();

      Api.Response terminated =
          api.send(
              HttpRequest.newBuilder(api.uri("/actuator/supervisors/rooms"))
                  .header("Content-Type", "application/json")
                  .header(
                      "Authorization", Api.basic(SampleAppTest.ADMIN, SampleAppTest.ADMIN_PASSWORD))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          Api.json(Map.of("child", pid, "action", "terminate")))));

      assertThat(terminated.status()).as(terminated.body()).isEqualTo(200);
      assertThat(
              api.get("/actuator/supervisors/rooms")
                  .json()
                  .get("children")
                  .findValuesAsString("name"))
          .doesNotContain("via(room-names, " + room + ")");
      JsonNode again = api.get("/api/rooms/" + room).json();
      assertThat(again.get("pid").asString()).isNotEqualTo(pid);
      assertThat(
              api.get("/actuator/supervisors/rooms")
                  .json()
                  .get("children")
                  .findValuesAsString("name"))
          .contains("via(room-names, " + room + ")");
    }

    private Api.Response write(String authorization) {
      return api.send(
          HttpRequest.newBuilder(api.uri("/actuator/supervisors/root"))
              .header("Content-Type", "application/json")
              .header("Authorization", authorization)
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      Api.json(Map.of("child", "user-manager", "action", "restart")))));
    }

    private String pidOf(String child) {
      for (JsonNode node : api.get("/actuator/supervisors/root").json().get("children")) {
        if (node.get("id").asString().equals(child)) {
          return node.get("pid").asString();
        }
      }
      throw new AssertionError(child);
    }
  }

  @Test
  void infoIsExposed() {
    assertThat(api.get("/actuator/info").status()).isEqualTo(200);
  }
}

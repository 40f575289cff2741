package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SampleAppTest
final class WorkerApiTest {
  @LocalServerPort int port;

  @Test
  void showsEachWriterOfTheRoundRobinPoolWithItsDispatchCount() {
    Api api = new Api(port);
    String user = api.user();
    String room = api.room();
    long before = api.get("/api/workers").json().get("dispatches").asLong();
    for (int i = 0; i < 8; i++) {
      api.message(room, user, "m" + i);
    }

    JsonNode pool = api.get("/api/workers").json();

    assertThat(pool.get("name").asString()).isEqualTo("message-writers");
    assertThat(pool.get("strategy").asString()).isEqualTo("ROUND_ROBIN");
    assertThat(pool.get("dispatches").asLong()).isEqualTo(before + 8);
    JsonNode workers = pool.get("workers");
    assertThat(workers.size()).isEqualTo(4);
    long total = 0;
    for (JsonNode worker : workers) {
      assertThat(worker.get("state").asString()).isEqualTo("UP");
      assertThat(worker.get("pid").asString()).startsWith("<");
      total += worker.get("dispatches").asLong();
    }
    assertThat(total).isEqualTo(before + 8);
  }

  @Test
  void showsAWriterTheAdministratorTerminatedAsDownUntilItIsRestarted() {
    Api api = new Api(port);
    assertThat(writerAction("message-writers-1", "terminate").status()).isEqualTo(200);
    try {
      JsonNode stopped = api.get("/api/workers").json().get("workers").get(1);
      assertThat(stopped.get("id").asString()).isEqualTo("message-writers-1");
      assertThat(stopped.get("state").asString()).isEqualTo("DOWN");
      assertThat(stopped.get("pid").isNull()).isTrue();
    } finally {
      assertThat(writerAction("message-writers-1", "restart").status()).isEqualTo(200);
    }
    assertThat(api.get("/api/workers").json().get("workers").get(1).get("state").asString())
        .isEqualTo("UP");
  }

  private Api.Response writerAction(String child, String action) {
    Api api = new Api(port);
    return api.send(
        HttpRequest.newBuilder(api.uri("/actuator/supervisors/message-writers-pool"))
            .header("Content-Type", "application/json")
            .header("Authorization", Api.basic(SampleAppTest.ADMIN, SampleAppTest.ADMIN_PASSWORD))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    Api.json(Map.of("child", child, "action", action)))));
  }

  @Test
  void baselineEndpointsDoTheSameWorkWithoutProcesses() {
    Api api = new Api(port);
    String counter = Api.unique("b");
    assertThat(api.post("/api/baseline/counters/" + counter + "/increment").status())
        .isEqualTo(202);
    assertThat(api.get("/api/baseline/counters/" + counter).json().get("value").asLong())
        .isEqualTo(1);
    Api.Response stored =
        api.post("/api/baseline/rooms/bench/messages", "{\"user\":\"u\",\"content\":\"x\"}");
    assertThat(stored.status()).isEqualTo(201);
    assertThat(stored.json().get("id").asLong()).isPositive();
    api.post("/api/baseline/rooms/bench/messages", "{\"user\":\"u\",\"content\":\"\"}")
        .problem(400);
  }
}

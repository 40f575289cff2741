package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SampleAppTest
final class RoomApiTest {
  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  @Nested
  final class Create {
    @Test
    void answers201WithTheRoomRunningAsAProcess() {
      String name = Api.unique("room");

      Api.Response response = api.post("/api/rooms", Api.json(Map.of("name", name)));

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.header("Location")).isEqualTo("/api/rooms/" + name);
      JsonNode room = response.json();
      assertThat(room.get("name").asString()).isEqualTo(name);
      assertThat(room.get("messageCount").asLong()).isZero();
      assertThat(room.get("pid").asString()).startsWith("<");
      JsonNode rooms = api.get("/actuator/supervisors/rooms").json();
      assertThat(rooms.get("dynamic").asBoolean()).isTrue();
      assertThat(rooms.get("children").findValuesAsString("name"))
          .contains("via(room-names, " + name + ")");
      assertThat(rooms.get("children").findValuesAsString("id")).containsOnly("room");
    }

    @Test
    void answers409WhenTheRoomExists() {
      String name = api.room();
      api.post("/api/rooms", Api.json(Map.of("name", name))).problem(409);
    }

    @Test
    void answers400ForAnInvalidName() {
      for (String name : List.of("", "a b", "a/b", "..", "x".repeat(33), "a%00")) {
        api.post("/api/rooms", Api.json(Map.of("name", name))).problem(400);
      }
      api.post("/api/rooms", "{}").problem(400);
    }
  }

  @Nested
  final class ListRooms {
    @Test
    void showsEachRoomWithItsMessageCount() {
      String user = api.user();
      String quiet = api.room();
      String busy = api.room();
      api.message(busy, user, "one");
      api.message(busy, user, "two");

      JsonNode rooms = api.get("/api/rooms").json();

      assertThat(count(rooms, quiet)).isZero();
      assertThat(count(rooms, busy)).isEqualTo(2);
    }

    private long count(JsonNode rooms, String name) {
      for (JsonNode room : rooms) {
        if (room.get("name").asString().equals(name)) {
          return room.get("messageCount").asLong();
        }
      }
      throw new AssertionError(name + " not in " + rooms);
    }
  }

  @Nested
  final class Get {
    @Test
    void answersTheRoom() {
      String name = api.room();
      Api.Response response = api.get("/api/rooms/" + name);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().get("name").asString()).isEqualTo(name);
    }

    @Test
    void answers404ForAnUnknownRoom() {
      api.get("/api/rooms/nope").problem(404);
    }
  }

  @Nested
  final class Crash {
    @Test
    void restartsTheRoomWhichAnswersAgainWithinASecondAndLosesNoMessage() {
      String user = api.user();
      String room = api.room();
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(api.message(room, user, "before " + i).get("id").asLong());
      }
      String pid = api.get("/api/rooms/" + room).json().get("pid").asString();
      double restarts = Metrics.restarts(api, "rooms", "room");

      assertThat(api.post("/api/rooms/" + room + "/crash").status()).isEqualTo(202);

      await()
          .atMost(Duration.ofSeconds(1))
          .until(() -> !api.get("/api/rooms/" + room).json().get("pid").asString().equals(pid));
      for (int i = 0; i < 5; i++) {
        ids.add(api.message(room, user, "after " + i).get("id").asLong());
      }
      JsonNode after = api.get("/api/rooms/" + room).json();
      assertThat(after.get("messageCount").asLong()).isEqualTo(10);
      JsonNode stored = api.get("/api/rooms/" + room + "/messages").json();
      assertThat(stored.findValuesAsString("id").stream().map(Long::valueOf).toList())
          .isEqualTo(ids);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Metrics.restarts(api, "rooms", "room") >= restarts + 1);
    }

    @Test
    void neverTagsAMetricWithTheRoomsName() {
      String room = api.room();
      String pid = api.get("/api/rooms/" + room).json().get("pid").asString();

      assertThat(api.post("/api/rooms/" + room + "/crash").status()).isEqualTo(202);

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !api.get("/api/rooms/" + room).json().get("pid").asString().equals(pid));
      assertThat(Metrics.scrape(api))
          .contains("supervision_child_last_failure_seconds{")
          .doesNotContain("\"" + room + "\"");
    }

    @Test
    void losesNoMessageSentWhileTheRoomRestarts() throws Exception {
      String user = api.user();
      String room = api.room();
      Thread crasher = Thread.ofVirtual().start(() -> api.post("/api/rooms/" + room + "/crash"));
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 15; i++) {
        ids.add(api.message(room, user, "m" + i).get("id").asLong());
      }
      crasher.join();

      JsonNode stored = api.get("/api/rooms/" + room + "/messages").json();
      assertThat(stored.findValuesAsString("id").stream().map(Long::valueOf).toList())
          .isEqualTo(ids);
    }

    @Test
    void answers404ForAnUnknownRoom() {
      api.post("/api/rooms/" + Api.unique("nope") + "/crash").problem(404);
    }
  }
}

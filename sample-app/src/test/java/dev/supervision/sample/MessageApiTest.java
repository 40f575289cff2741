package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SampleAppTest
final class MessageApiTest {
  @LocalServerPort int port;
  Api api;
  String user;
  String room;

  @BeforeEach
  void setUp() {
    api = new Api(port);
    user = api.user();
    room = api.room();
  }

  private Api.Response post(String room, String user, String content) {
    return api.post(
        "/api/rooms/" + room + "/messages", Api.json(Map.of("user", user, "content", content)));
  }

  private List<Long> ids(JsonNode messages) {
    List<Long> ids = new ArrayList<>();
    messages.forEach(m -> ids.add(m.get("id").asLong()));
    return ids;
  }

  @Nested
  final class Post {
    @Test
    void answers201WithTheStoredMessage() {
      Instant before = Instant.now().minusSeconds(1);

      Api.Response response = post(room, user, "hello");

      assertThat(response.status()).isEqualTo(201);
      JsonNode message = response.json();
      assertThat(message.propertyNames())
          .containsExactlyInAnyOrder("id", "room", "user", "content", "sentAt");
      assertThat(message.get("id").asLong()).isPositive();
      assertThat(message.get("room").asString()).isEqualTo(room);
      assertThat(message.get("user").asString()).isEqualTo(user);
      assertThat(message.get("content").asString()).isEqualTo("hello");
      assertThat(Instant.parse(message.get("sentAt").asString())).isAfter(before);
      assertThat(api.get("/api/rooms/" + room + "/messages").json().get(0)).isEqualTo(message);
    }

    @Test
    void storesSqlAndHtmlVerbatim() {
      String content =
          "<script>alert('x')</script> '; DROP TABLE chat_messages; -- \" \\ \u00e9 \ud83d\ude00";

      JsonNode message = post(room, user, content).json();

      assertThat(message.get("content").asString()).isEqualTo(content);
      JsonNode stored = api.get("/api/rooms/" + room + "/messages").json();
      assertThat(stored.get(0).get("content").asString()).isEqualTo(content);
    }

    @Test
    void acceptsExactly4000CharactersAndRefusesMore() {
      assertThat(post(room, user, "a".repeat(4000)).status()).isEqualTo(201);
      assertThat(post(room, user, "\ud83d\ude00".repeat(4000)).status()).isEqualTo(201);

      JsonNode problem = post(room, user, "a".repeat(4001)).problem(400);

      assertThat(problem.get("detail").asString()).contains("4000");
    }

    @Test
    void answers400ForEmptyContent() {
      post(room, user, "").problem(400);
      post(room, user, "   ").problem(400);
      api.post("/api/rooms/" + room + "/messages", Api.json(Map.of("user", user))).problem(400);
    }

    @Test
    void answers404ForAnUnknownRoomOrUser() {
      assertThat(post("nope", user, "hi").problem(404).get("detail").asString()).contains("room");
      assertThat(post(room, Api.unique("ghost"), "hi").problem(404).get("detail").asString())
          .contains("user");
    }

    @Test
    void answers429WithRetryAfterWhenOneUserSendsTooFast() {
      int created = 0;
      Api.Response limited = null;
      // Bounded by count, not time: on a loaded machine posts are slower and the bucket refills
      // meanwhile, so it may take more than burst + a few posts to be limited.
      for (int i = 0; i < 400 && limited == null; i++) {
        Api.Response response = post(room, user, "spam " + i);
        if (response.status() == 201) {
          created++;
        } else {
          limited = response;
        }
      }

      assertThat(limited).as("no 429 after 400 messages").isNotNull();
      limited.problem(429);
      assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 2L);
      assertThat(created).isGreaterThanOrEqualTo(20);
      assertThat(post(room, api.user(), "another user is not limited").status()).isEqualTo(201);
    }
  }

  @Nested
  final class ListMessages {
    @Test
    void answersTheNewestOldestFirstWithLimitAndBeforeCursor() {
      List<Long> sent = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        sent.add(post(room, user, "m" + i).json().get("id").asLong());
      }

      assertThat(ids(api.get("/api/rooms/" + room + "/messages").json())).isEqualTo(sent);
      assertThat(ids(api.get("/api/rooms/" + room + "/messages?limit=3").json()))
          .isEqualTo(sent.subList(4, 7));
      assertThat(
              ids(api.get("/api/rooms/" + room + "/messages?limit=3&before=" + sent.get(4)).json()))
          .isEqualTo(sent.subList(1, 4));
      assertThat(ids(api.get("/api/rooms/" + room + "/messages?before=" + sent.get(0)).json()))
          .isEmpty();
    }

    @Test
    void answersTheNewest50ByDefault() {
      List<String> users = List.of(user, api.user(), api.user());
      List<Long> sent = new ArrayList<>();
      for (int i = 0; i < 57; i++) {
        sent.add(post(room, users.get(i % 3), "m" + i).json().get("id").asLong());
      }

      assertThat(ids(api.get("/api/rooms/" + room + "/messages").json()))
          .isEqualTo(sent.subList(7, 57));
    }

    @Test
    void answers400ForALimitOutside1To500() {
      api.get("/api/rooms/" + room + "/messages?limit=0").problem(400);
      api.get("/api/rooms/" + room + "/messages?limit=501").problem(400);
      api.get("/api/rooms/" + room + "/messages?limit=-1").problem(400);
      api.get("/api/rooms/" + room + "/messages?limit=abc").problem(400);
      api.get("/api/rooms/" + room + "/messages?before=xyz").problem(400);
      assertThat(api.get("/api/rooms/" + room + "/messages?limit=500").status()).isEqualTo(200);
    }

    @Test
    void answers404ForAnUnknownRoom() {
      api.get("/api/rooms/nope/messages").problem(404);
    }
  }
}

package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Users, rooms and messages live in the database file and survive an application restart. */
final class PersistenceTest {

  private static ConfigurableApplicationContext start(Path dir) {
    // Command-line arguments, which take precedence over application.properties.
    return new SpringApplicationBuilder(SampleApplication.class)
        .run(
            "--server.port=0",
            "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("chat").toAbsolutePath(),
            "--logging.level.root=WARN");
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  @Test
  void messagesUsersAndRoomsSurviveARestartOnAFileDatabase(@TempDir Path dir) {
    String user;
    String room;
    List<JsonNode> sent = new ArrayList<>();
    try (ConfigurableApplicationContext first = start(dir)) {
      Api api = new Api(port(first));
      user = api.user();
      room = api.room();
      for (int i = 0; i < 3; i++) {
        sent.add(api.message(room, user, "kept " + i));
      }
    }
    assertThat(dir.resolve("chat.mv.db")).exists();

    try (ConfigurableApplicationContext second = start(dir)) {
      Api api = new Api(port(second));

      assertThat(api.get("/api/users/" + user).status()).isEqualTo(200);
      JsonNode rooms = api.get("/actuator/supervisors/rooms").json();
      assertThat(rooms.get("children").findValuesAsString("name"))
          .as("stored rooms are started again at start-up")
          .contains("via(room-names, " + room + ")");
      JsonNode info = api.get("/api/rooms/" + room).json();
      assertThat(info.get("messageCount").asLong()).isEqualTo(3);
      JsonNode messages = api.get("/api/rooms/" + room + "/messages").json();
      assertThat(messages.size()).isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        assertThat(messages.get(i)).isEqualTo(sent.get(i));
      }
      JsonNode next = api.message(room, user, "after the restart");
      assertThat(next.get("id").asLong()).isGreaterThan(sent.get(2).get("id").asLong());
      api.post("/api/users", Api.json(java.util.Map.of("username", user))).problem(409);
    }
  }
}

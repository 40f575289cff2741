package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.sample.chat.MessageStore;
import dev.supervision.sample.chat.MessageStore.NewMessage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The sample app on a real PostgreSQL (its {@code postgres} profile): Flyway's migrations, the
 * repositories, and message posting by group commit under concurrent load.
 *
 * <p><b>Runs only when {@code CHAT_TEST_POSTGRES_URL} is set</b> (skipped otherwise, so that {@code
 * ./mvnw verify} needs no PostgreSQL): CI ({@code .ci/run}) starts one with {@code
 * scripts/postgres.sh start} and sets it. By hand:
 *
 * <pre>
 * CHAT_TEST_POSTGRES_URL=$(scripts/postgres.sh start) ./mvnw -pl sample-app -am verify \
 *     -Dtest=PostgresTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Each run uses a schema of its own in that database (user and password {@code chat} unless {@code
 * CHAT_POSTGRES_USER} and {@code CHAT_POSTGRES_PASSWORD} say otherwise), dropped at the end.
 */
@EnabledIfEnvironmentVariable(named = PostgresTest.URL_VARIABLE, matches = ".+")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"chat.rate-limit.enabled=false", "logging.level.dev.supervision=WARN"})
@ActiveProfiles("postgres")
final class PostgresTest {
  static final String URL_VARIABLE = "CHAT_TEST_POSTGRES_URL";

  private static final String SCHEMA =
      "test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired MessageStore store;

  private static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? otherwise : value;
  }

  private static String url() {
    return System.getenv(URL_VARIABLE);
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> url() + "?currentSchema=" + SCHEMA);
    registry.add("spring.flyway.default-schema", () -> SCHEMA);
    registry.add("spring.flyway.schemas", () -> SCHEMA);
    registry.add("spring.jpa.properties.hibernate.default_schema", () -> SCHEMA);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                url(), env("CHAT_POSTGRES_USER", "chat"), env("CHAT_POSTGRES_PASSWORD", "chat"));
        Statement statement = connection.createStatement()) {
      statement.execute("drop schema if exists " + SCHEMA + " cascade");
    }
  }

  @Nested
  final class Schema {
    @Test
    void flywayCreatesItFromTheMigrationsOnPostgres() {
      List<String> versions =
          jdbc.sql(
                  "select version || ' ' || type || ' ' || success from flyway_schema_history"
                      + " where version is not null order by installed_rank")
              .query(String.class)
              .list();
      assertThat(versions).containsExactly("1 SQL true");
      assertThat(jdbc.sql("select version()").query(String.class).single())
          .startsWith("PostgreSQL");
      assertThat(jdbc.sql("select current_schema()").query(String.class).single())
          .isEqualTo(SCHEMA);
    }
  }

  @Nested
  final class UsersAndRooms {
    @Test
    void areStoredOnceByName() {
      Api api = new Api(port);
      String user = api.user();
      String room = api.room();

      api.post("/api/users", Api.json(Map.of("username", user))).problem(409);
      api.post("/api/rooms", Api.json(Map.of("name", room))).problem(409);
      assertThat(api.get("/api/users/" + user).status()).isEqualTo(200);
      assertThat(api.get("/api/rooms").json().findValuesAsString("name")).contains(room);
    }
  }

  @Nested
  final class Messages {
    @Test
    void postedConcurrentlyOverRoomsAreEachStoredOnceInTheirRoomsOrder() throws Exception {
      Api api = new Api(port);
      String user = api.user();
      List<String> rooms = List.of(api.room(), api.room(), api.room(), api.room());
      int senders = 16;
      int posts = 25;
      List<Future<List<JsonNode>>> results = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int s = 0; s < senders; s++) {
          String room = rooms.get(s % rooms.size());
          String sender = "s" + s;
          results.add(
              pool.submit(
                  () -> {
                    List<JsonNode> mine = new ArrayList<>();
                    for (int i = 0; i < posts; i++) {
                      mine.add(api.message(room, user, sender + "-" + i));
                    }
                    return mine;
                  }));
        }
      }

      Map<String, Set<String>> sent = new HashMap<>();
      for (Future<List<JsonNode>> result : results) {
        List<JsonNode> mine = result.get();
        List<Long> ids = new ArrayList<>();
        for (JsonNode message : mine) {
          ids.add(message.get("id").asLong());
          sent.computeIfAbsent(message.get("room").asString(), r -> new HashSet<>())
              .add(message.get("content").asString());
        }
        assertThat(ids).as("one sender's messages, one after the other").isSorted();
      }
      for (String room : rooms) {
        JsonNode stored = api.get("/api/rooms/" + room + "/messages?limit=500").json();
        List<Long> ids = new ArrayList<>();
        Set<String> contents = new HashSet<>();
        stored.forEach(
            m -> {
              ids.add(m.get("id").asLong());
              contents.add(m.get("content").asString());
            });
        assertThat(ids).hasSize(senders / rooms.size() * posts).isSorted().doesNotHaveDuplicates();
        assertThat(contents).isEqualTo(sent.get(room));
        assertThat(api.get("/api/rooms/" + room).json().get("messageCount").asLong())
            .isEqualTo(ids.size());
      }
    }

    @Test
    void aBatchWithOneMessageTheDatabaseRefusesStoresNoneOfIt() {
      String room = Api.unique("batch");
      Instant now = Instant.now();
      List<NewMessage> batch =
          List.of(
              new NewMessage("alice", "stored first, then rolled back", now),
              new NewMessage("x".repeat(33), "a user name longer than its column", now),
              new NewMessage("alice", "never inserted", now));

      assertThatThrownBy(() -> store.storeAll(room, batch)).isInstanceOf(DataAccessException.class);

      assertThat(
              jdbc.sql("select count(*) from chat_messages where room = ?")
                  .param(room)
                  .query(Long.class)
                  .single())
          .isZero();
    }
  }
}

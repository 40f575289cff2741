package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the tests: JSON in, status, headers and parsed JSON out. */
final class Api {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * What the server's internals look like in an answer, none of which belongs there: an exception
   * or a stack frame, a package-qualified or nested class name, a parser's setting or token name,
   * an ISO-8601 duration ({@code PT1S}), an HTML error page.
   */
  static final Pattern LEAK =
      Pattern.compile(
          String.join(
              "|",
              "Exception",
              "\\tat ",
              "\\b(java|javax|jakarta|tools\\.jackson|com\\.fasterxml|org\\.springframework)\\.",
              "\\b(org\\.apache|dev\\.supervision|io\\.[a-z]+)\\.",
              "\\$[A-Z]",
              "CoercionConfig|DeserializationFeature|StreamReadConstraints|JsonToken",
              "\\b(VALUE|START|END|FIELD|PROPERTY)_[A-Z]",
              "\\bP(T\\d|\\d+D)",
              "<html"));

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  Api(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /** A fresh valid name, so that tests sharing a context do not collide. */
  static String unique(String prefix) {
    return prefix
        + "-"
        + NAMES.incrementAndGet()
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  /** A JSON object with string values. */
  static String json(Map<String, ?> fields) {
    return JSON.writeValueAsString(fields);
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Response post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  Response post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Registers a user, asserting 201. */
  String user() {
    String name = unique("u");
    assertThat(post("/api/users", json(Map.of("username", name))).status()).isEqualTo(201);
    return name;
  }

  /** Creates a room, asserting 201. */
  String room() {
    String name = unique("r");
    assertThat(post("/api/rooms", json(Map.of("name", name))).status()).isEqualTo(201);
    return name;
  }

  /** Posts a message, asserting 201, and returns it. */
  JsonNode message(String room, String user, String content) {
    Response response =
        post("/api/rooms/" + room + "/messages", json(Map.of("user", user, "content", content)));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json();
  }

  /**
   * Asserts that an error answer is an RFC 9457 problem in the API's one shape: {@code
   * application/problem+json} with {@code type}, {@code title}, {@code status} (the answer's),
   * {@code detail} and {@code instance}, and no stack trace, Java class, parser setting or ISO
   * duration anywhere ({@link #LEAK}). Returns it.
   */
  static JsonNode problem(int status, String contentType, String body) {
    assertThat(contentType).as(body).startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(body);
    assertThat(problem.isObject()).as(body).isTrue();
    for (String field : new String[] {"type", "title", "detail", "instance"}) {
      assertThat(problem.path(field).isString()).as("%s in %s", field, body).isTrue();
      assertThat(problem.path(field).asString()).as("%s in %s", field, body).isNotBlank();
    }
    assertThat(problem.path("status").asInt()).as(body).isEqualTo(status);
    assertThat(body).doesNotContainPattern(LEAK);
    return problem;
  }

  /** An answer. */
  record Response(HttpResponse<String> raw) {
    int status() {
      return raw.statusCode();
    }

    String body() {
      return raw.body();
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse("");
    }

    JsonNode json() {
      return JSON.readTree(raw.body());
    }

    /**
     * Asserts an RFC 9457 problem with {@code status}, in the API's one shape, showing nothing of
     * the server's internals, and returns it.
     */
    JsonNode problem(int status) {
      assertThat(status()).as(body()).isEqualTo(status);
      return Api.problem(status, header("Content-Type"), body());
    }
  }
}

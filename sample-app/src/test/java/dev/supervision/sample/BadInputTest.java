package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Bad input anywhere is a 4xx problem detail, never a 500 or a stack trace. */
@SampleAppTest
final class BadInputTest {
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

  @Nested
  final class Json {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "{",
          "not json",
          "[]",
          "\"alice\"",
          "null",
          "{\"username\": \"a\"} trailing",
          "{\"username\": 5}",
          "{\"username\": true}",
          "{\"username\": [\"a\"]}",
          "{\"username\": {\"x\": 1}}",
          "{\"username\": \"a\", \"admin\": true}",
          "{\"username\": \"a\", \"username\": \"b\", }"
        })
    void malformedWrongTypedOrUnknownFieldsAre400(String body) {
      api.post("/api/users", body).problem(400);
      api.post("/api/rooms", body.replace("username", "name")).problem(400);
    }

    @Test
    void anEmptyBodyIs400() {
      api.post("/api/users", "").problem(400);
      api.post("/api/rooms/" + room + "/messages", "").problem(400);
    }

    @Test
    void aMessageWithWrongTypesOrUnknownFieldsIs400() {
      String path = "/api/rooms/" + room + "/messages";
      api.post(path, "{\"user\": \"" + user + "\", \"content\": 42}").problem(400);
      api.post(path, "{\"user\": \"" + user + "\", \"content\": \"x\", \"id\": 1}").problem(400);
      api.post(path, "{\"user\": [], \"content\": \"x\"}").problem(400);
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
      api.send(
              HttpRequest.newBuilder(api.uri("/api/users"))
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"x\"}")))
          .problem(415);
    }
  }

  @Nested
  final class Size {
    private String hugeMessage() {
      return Api.json(Map.of("user", user, "content", "x".repeat(100_000)));
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413() {
      api.post("/api/rooms/" + room + "/messages", hugeMessage()).problem(413);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
      byte[] body = hugeMessage().getBytes(StandardCharsets.UTF_8);
      // A publisher of unknown length: the client sends it chunked, without Content-Length.
      HttpRequest.BodyPublisher chunked =
          HttpRequest.BodyPublishers.fromPublisher(
              (Flow.Subscriber<? super java.nio.ByteBuffer> s) ->
                  HttpRequest.BodyPublishers.ofByteArray(body).subscribe(s));
      api.send(
              HttpRequest.newBuilder(api.uri("/api/rooms/" + room + "/messages"))
                  .header("Content-Type", "application/json")
                  .POST(chunked))
          .problem(413);
    }
  }

  @Nested
  final class Names {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "/api/rooms/a%2Fb",
          "/api/rooms/a%00b",
          "/api/rooms/%2e%2e",
          "/api/rooms/..%2f..%2fetc",
          "/api/rooms/a%5Cb",
          "/api/rooms/a;b",
          "/api/rooms/%ZZ",
          "/api/users/a%2F..",
          "/api/counters/%00",
          "/api/rooms/x%20y/messages",
          "/api/counters/..;/increment"
        })
    void oddCharactersInAPathAre400Or404(String path) throws IOException {
      int status = raw("GET " + path + " HTTP/1.1");
      assertThat(status).as(path).isIn(400, 404);
      int post = raw("POST " + path + "/increment HTTP/1.1");
      assertThat(post).as(path).isIn(400, 404, 405);
    }

    @Test
    void aDotDotPathIsNormalisedOrRefused() throws IOException {
      assertThat(raw("GET /api/rooms/../users/x HTTP/1.1")).isIn(400, 404);
      assertThat(raw("GET /api/rooms/" + room + "/../../x HTTP/1.1")).isIn(400, 404);
    }

    /* Sends a request line as is (HttpClient would encode or normalise it) and checks the body. */
    private int raw(String requestLine) throws IOException {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        OutputStream out = socket.getOutputStream();
        out.write(
            (requestLine
                    + "\r\n"
                    + "Host: 127.0.0.1\r\n"
                    + "Accept: application/json\r\n"
                    + "Content-Length: 0\r\n"
                    + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(response).as(requestLine).contains("application/problem+json");
        assertThat(response).doesNotContain("Exception", "<html", "\tat ");
        return Integer.parseInt(response.substring(9, 12));
      }
    }
  }

  @Nested
  final class Http {
    @Test
    void anUnknownPathIs404() {
      api.get("/api/nothing-here").problem(404);
    }

    @Test
    void aWrongMethodIs405() {
      api.send(
              HttpRequest.newBuilder(api.uri("/api/users"))
                  .PUT(HttpRequest.BodyPublishers.noBody()))
          .problem(405);
      api.delete("/api/rooms/" + room).problem(405);
    }
  }
}

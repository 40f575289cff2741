package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
    void aWrongTypeOrAnUnknownFieldIsNamedInTheDetailWithoutTheParsersWords() {
      assertThat(api.post("/api/users", "{\"username\": 5}").problem(400).get("detail").asString())
          .isEqualTo("field 'username' must be a string");
      assertThat(
              api.post("/api/users", "{\"username\": \"a\", \"admin\": true}")
                  .problem(400)
                  .get("detail")
                  .asString())
          .isEqualTo("unknown field 'admin'; the fields are 'username'");
      assertThat(api.post("/api/users", "[]").problem(400).get("detail").asString())
          .isEqualTo("the request body must be a JSON object");
      assertThat(api.post("/api/users", "{\"username\": \"a").problem(400).get("detail").asString())
          .startsWith("the request body is not valid JSON: ")
          .contains("line 1");
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
  final class ContentTypes {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "POST /api/users",
          "POST /api/rooms",
          "POST /api/rooms/{room}/messages",
          "POST /api/counters/{name}/increment",
          "POST /api/baseline/counters/{name}/increment",
          "POST /api/baseline/rooms/{room}/messages",
          "PUT /api/users",
          "PUT /api/rooms/{room}/messages"
        })
    void aMultipartBodyWithoutABoundaryIs400OnEveryPostAndPutRoute(String route) {
      String[] method = route.split(" ", 2);
      String path = method[1].replace("{room}", room).replace("{name}", Api.unique("c"));
      api.send(
              HttpRequest.newBuilder(api.uri(path))
                  .header("Content-Type", "multipart/form-data")
                  .method(method[0], HttpRequest.BodyPublishers.ofString("username=x")))
          .problem(400);
    }

    @Test
    void aWellFormedMultipartBodyIs415() {
      api.send(
              HttpRequest.newBuilder(api.uri("/api/users"))
                  .header("Content-Type", "multipart/form-data; boundary=b")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "--b\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nx\r\n"
                              + "--b--\r\n")))
          .problem(415);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "application/json;charset=foo",
          "application/json;charset=\"\"",
          "application/json; charset=",
          "application/*",
          "*/*",
          "application/*+json"
        })
    void aContentTypeWithAnUnknownCharsetOrAWildcardIs415WithOrWithoutABody(String type) {
      api.send(
              HttpRequest.newBuilder(api.uri("/api/users"))
                  .header("Content-Type", type)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"x\"}")))
          .problem(415);
      api.send(HttpRequest.newBuilder(api.uri("/api/rooms/" + room)).header("Content-Type", type))
          .problem(415);
    }

    @Test
    void aFormBodyOnPutOrDeleteIsNotParsed() {
      api.send(
              HttpRequest.newBuilder(api.uri("/api/counters/" + Api.unique("c")))
                  .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-16")
                  .method("DELETE", HttpRequest.BodyPublishers.ofString("a=%ZZ")))
          .problem(404);
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
      RawHttp.Response response =
          RawHttp.exchange(
              port,
              (requestLine
                      + "\r\n"
                      + "Host: 127.0.0.1\r\n"
                      + "Accept: application/json\r\n"
                      + "Content-Length: 0\r\n"
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1),
              false);
      Api.problem(response.status(), response.header("Content-Type"), response.text());
      return response.status();
    }
  }

  @Nested
  final class Headers {
    @Test
    void aQueryStringThatIsNotUtf8Is400() {
      api.get("/api/rooms/" + room + "/messages?limit=5&x=%FF").problem(400);
      api.get("/actuator/health?x=%C3%28").problem(400);
    }

    @Test
    void aHeaderValueWithAControlCharacterIs400() throws IOException {
      RawHttp.Response response =
          RawHttp.exchange(
              port,
              ("GET /api/rooms/"
                      + room
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Accept: application/json\u0085\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1),
              false);
      assertThat(response.status()).isEqualTo(400);
      Api.problem(400, response.header("Content-Type"), response.text());
    }

    @Test
    void aHeaderWithAControlCharacterOnARequestTheContainerRefusesIs400() throws IOException {
      RawHttp.Response response =
          RawHttp.exchange(
              port,
              ("TRACE /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Accept: application/json\u0085\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1),
              false);
      assertThat(response.status()).isEqualTo(400);
      Api.problem(400, response.header("Content-Type"), response.text());
    }

    @Test
    void anErrorIsAProblemWhateverTheAcceptHeaderSays() {
      for (String accept : new String[] {"text/html", "image/png", "garbage", "application/xml"}) {
        api.send(
                HttpRequest.newBuilder(api.uri("/api/rooms/" + Api.unique("none")))
                    .header("Accept", accept))
            .problem(404);
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
    void theErrorPageAskedForDirectlyIs404() {
      api.get("/error").problem(404);
      api.post("/error").problem(404);
    }

    @Test
    void anAdminOperationWithoutCredentialsIs401() {
      api.post("/actuator/supervisors/rooms", Api.json(Map.of("child", "x", "action", "restart")))
          .problem(401);
    }

    @Test
    void aTraceRequestIs405EvenWithACharsetNoOneKnows() throws IOException {
      RawHttp.Response response =
          RawHttp.exchange(
              port,
              ("TRACE /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Type: application/json; charset=\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1),
              false);
      assertThat(response.status()).isEqualTo(405);
      Api.problem(405, response.header("Content-Type"), response.text());
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

package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;

/**
 * The room sockets: every message of the room after the client's {@code after} id (or from its
 * handshake on), once and in order, replayed from the database and then live; refused handshakes as
 * problems.
 */
@SampleAppTest
final class RoomSocketTest {
  @LocalServerPort int port;
  Api api;

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  /** A socket client that records what it receives. */
  static final class Listener extends TextWebSocketHandler {
    final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
      received.add(Api.JSON.readTree(message.getPayload()));
    }
  }

  private WebSocketSession connect(String room, Listener listener) throws Exception {
    return open("/ws/rooms/" + room, listener);
  }

  private WebSocketSession connect(String room, long after, Listener listener) throws Exception {
    return open("/ws/rooms/" + room + "?after=" + after, listener);
  }

  private WebSocketSession open(String path, Listener listener) throws Exception {
    CompletableFuture<WebSocketSession> session =
        new StandardWebSocketClient()
            .execute(
                listener, new WebSocketHttpHeaders(), URI.create("ws://127.0.0.1:" + port + path));
    return session.get(10, TimeUnit.SECONDS);
  }

  private static List<Long> ids(List<JsonNode> messages) {
    return messages.stream().map(m -> m.get("id").asLong()).toList();
  }

  /* Every message of the room, oldest first, as the API lists them. */
  private List<Long> stored(String room) {
    List<JsonNode> messages = new ArrayList<>();
    for (JsonNode message : api.get("/api/rooms/" + room + "/messages?limit=500").json()) {
      messages.add(message);
    }
    return ids(messages);
  }

  @Test
  void everyClientReceivesEveryStoredMessageInOrderAsTheApiShowsIt() throws Exception {
    String user = api.user();
    String room = api.room();
    Listener first = new Listener();
    Listener second = new Listener();
    try (WebSocketSession a = connect(room, first);
        WebSocketSession b = connect(room, second)) {
      List<JsonNode> sent = new ArrayList<>();
      for (int i = 0; i < 15; i++) {
        sent.add(api.message(room, user, "message " + i + " <b>as is</b>"));
      }

      await().atMost(Duration.ofSeconds(5)).until(() -> second.received.size() == 15);
      await().atMost(Duration.ofSeconds(5)).until(() -> first.received.size() == 15);
      assertThat(first.received).isEqualTo(sent);
      assertThat(second.received).isEqualTo(sent);
    }
  }

  @Test
  void aClientReceivesOnlyItsRoomAndKeepsReceivingAcrossARoomCrash() throws Exception {
    String user = api.user();
    String room = api.room();
    String other = api.room();
    Listener listener = new Listener();
    try (WebSocketSession session = connect(room, listener)) {
      api.message(other, user, "elsewhere");
      JsonNode before = api.message(room, user, "before the crash");
      api.post("/api/rooms/" + room + "/crash");
      JsonNode after = api.message(room, user, "after the crash");

      await().atMost(Duration.ofSeconds(5)).until(() -> listener.received.size() == 2);
      assertThat(listener.received).containsExactly(before, after);
    }
  }

  @Nested
  final class Replay {
    @Test
    void aClientWithAfterGetsTheStoredMessagesAfterItThenTheLiveOnesOnce() throws Exception {
      String user = api.user();
      String room = api.room();
      List<JsonNode> sent = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        sent.add(api.message(room, user, "before " + i));
      }
      Listener listener = new Listener();
      try (WebSocketSession session = connect(room, sent.get(1).get("id").asLong(), listener)) {
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.received.size() == 3);
        sent.add(api.message(room, user, "live 1"));
        sent.add(api.message(room, user, "live 2"));

        await().atMost(Duration.ofSeconds(5)).until(() -> listener.received.size() == 5);
        assertThat(listener.received).isEqualTo(sent.subList(2, 7));
      }
    }

    @Test
    void aClientWithAnAfterPastTheNewestMessageGetsTheNextOnes() throws Exception {
      String user = api.user();
      String room = api.room();
      api.message(room, user, "before");
      Listener listener = new Listener();
      try (WebSocketSession session = connect(room, 999_999_999_999_999_999L, listener)) {
        JsonNode next = api.message(room, user, "next");

        await().atMost(Duration.ofSeconds(5)).until(() -> listener.received.size() == 1);
        assertThat(listener.received).containsExactly(next);
      }
    }

    /*
     * Clients connect while users post, each with an 'after' somewhere in what was posted so far
     * (or none): each must see every message after its 'after' exactly once, in order. A last
     * message, posted once all are connected, marks the end: a socket sends in id order, so a
     * duplicate or a gap would be there before it.
     */
    @Test
    void clientsConnectingWhileMessagesArePostedEachGetEveryMessageAfterTheirsOnceInOrder()
        throws Exception {
      String room = api.room();
      int posters = 6;
      int perPoster = 15; // within a user's burst, so none is refused as too fast
      int clients = 12;
      List<Long> posted = new CopyOnWriteArrayList<>();
      posted.add(api.message(room, api.user(), "first").get("id").asLong());
      Random random = new Random(14);
      List<Listener> listeners = new ArrayList<>();
      List<Long> afters = new ArrayList<>();
      List<WebSocketSession> sessions = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<String> users = new ArrayList<>();
        for (int p = 0; p < posters; p++) {
          users.add(api.user());
        }
        for (String user : users) {
          pool.execute(
              () -> {
                for (int i = 0; i < perPoster; i++) {
                  posted.add(api.message(room, user, user + " " + i).get("id").asLong());
                }
              });
        }
        for (int c = 0; c < clients; c++) {
          int reached = 1 + c * posters * perPoster / clients;
          await().atMost(Duration.ofSeconds(10)).until(() -> posted.size() >= reached);
          List<Long> seen = List.copyOf(posted);
          long after = c % 4 == 3 ? -1 : seen.get(random.nextInt(seen.size()));
          Listener listener = new Listener();
          listeners.add(listener);
          afters.add(after);
          sessions.add(after < 0 ? connect(room, listener) : connect(room, after, listener));
        }
      }
      try {
        long last = api.message(room, api.user(), "last").get("id").asLong();
        for (Listener listener : listeners) {
          await().atMost(Duration.ofSeconds(10)).until(() -> ids(listener.received).contains(last));
        }

        List<Long> all = stored(room);
        assertThat(all).hasSize(2 + posters * perPoster).isSorted();
        for (int c = 0; c < clients; c++) {
          List<Long> received = ids(listeners.get(c).received);
          long after = afters.get(c);
          if (after < 0) {
            // Without 'after': whatever was stored from the handshake on, so some suffix.
            assertThat(received).as("client %d", c).isNotEmpty();
            assertThat(received)
                .as("client %d without after", c)
                .isEqualTo(all.subList(all.indexOf(received.get(0)), all.size()));
          } else {
            assertThat(received)
                .as("client %d after %d", c, after)
                .isEqualTo(all.stream().filter(id -> id > after).toList());
          }
        }
      } finally {
        for (WebSocketSession session : sessions) {
          session.close();
        }
      }
    }
  }

  @Nested
  final class Handshake {
    @Test
    void anAfterThatIsNotAMessageIdIsRefusedWith400() throws Exception {
      String room = api.room();
      assertThatThrownBy(() -> open("/ws/rooms/" + room + "?after=abc", new Listener()))
          .isInstanceOf(ExecutionException.class);
      for (String after : new String[] {"abc", "-1", "", "1.5", "99999999999999999999"}) {
        handshake("/ws/rooms/" + room + "?after=" + after, 400);
      }
    }

    @Test
    void anUnknownRoomIs404NamingIt() throws Exception {
      assertThat(handshake("/ws/rooms/nope", 404).get("detail").asString())
          .isEqualTo("room 'nope' does not exist");
    }

    @Test
    void aRefusedHandshakeIsAProblemSayingWhatASocketNeeds() throws Exception {
      String room = api.room();
      String path = "/ws/rooms/" + room;
      handshake(path, 400, "Upgrade: h2c");
      handshake(path, 400, "Connection: keep-alive");
      handshake(path, 400, "Origin: %%");
      handshake(path + "?x=%FF", 400);
      handshake(path, 426, "Sec-WebSocket-Version: 8");
      assertThat(handshake(path, 403, "Origin: http://elsewhere.example").get("detail").asString())
          .contains("origin");
    }

    /* A handshake with the usual headers, each replaced by one of 'changes' with the same name. */
    private JsonNode handshake(String path, int status, String... changes) throws IOException {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Host", "127.0.0.1:" + port);
      headers.put("Upgrade", "websocket");
      headers.put("Connection", "Upgrade");
      headers.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
      headers.put("Sec-WebSocket-Version", "13");
      for (String change : changes) {
        String[] header = change.split(": ", 2);
        headers.put(header[0], header[1]);
      }
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
      headers.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      RawHttp.Response response =
          RawHttp.exchange(
              port, request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8), false);
      assertThat(response.status()).as(response.text()).isEqualTo(status);
      return Api.problem(status, response.header("Content-Type"), response.text());
    }
  }

  @Test
  void anUnknownRoomRefusesTheHandshake() {
    assertThatThrownBy(() -> connect("nope", new Listener()))
        .isInstanceOf(ExecutionException.class);
  }
}

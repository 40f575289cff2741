package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;

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
    CompletableFuture<WebSocketSession> session =
        new StandardWebSocketClient()
            .execute(
                listener,
                new WebSocketHttpHeaders(),
                URI.create("ws://127.0.0.1:" + port + "/ws/rooms/" + room));
    return session.get(10, TimeUnit.SECONDS);
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

  @Test
  void anUnknownRoomRefusesTheHandshake() {
    assertThatThrownBy(() -> connect("nope", new Listener()))
        .isInstanceOf(ExecutionException.class);
  }
}

package dev.supervision.sample.web;

import dev.supervision.sample.chat.Message;
import dev.supervision.sample.chat.MessageFeed;
import dev.supervision.sample.chat.Rooms;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The room sockets, {@code /ws/rooms/{room}}: every message stored in a room is pushed to every
 * socket open on it, as the same JSON as the API's, in the room's order. Sockets are held here,
 * outside the room servers, so they stay open when a room crashes and restarts.
 *
 * <p>A room publishes on its own thread, one message at a time; each session is wrapped in a {@link
 * ConcurrentWebSocketSessionDecorator} so that one slow client cannot hold a room for longer than
 * {@value #SEND_TIME_LIMIT_MS} ms: past that, or past {@value #BUFFER_LIMIT} buffered bytes, the
 * client is disconnected. Messages from clients are ignored.
 */
@Component
class RoomSockets extends TextWebSocketHandler implements MessageFeed, HandshakeInterceptor {
  static final String PATH = "/ws/rooms/";
  private static final int SEND_TIME_LIMIT_MS = 5_000;
  private static final int BUFFER_LIMIT = 512 * 1024;
  private static final String ROOM = "room";
  private static final System.Logger LOG = System.getLogger(RoomSockets.class.getName());

  private final Map<String, Set<WebSocketSession>> sessions = new ConcurrentHashMap<>();
  private final JsonMapper json;
  private final ObjectProvider<Rooms> rooms; // the rooms publish here: resolved on first use

  RoomSockets(JsonMapper json, ObjectProvider<Rooms> rooms) {
    this.json = json;
    this.rooms = rooms;
  }

  @Override
  public void published(Message message) {
    Set<WebSocketSession> open = sessions.get(message.room());
    if (open == null || open.isEmpty()) {
      return;
    }
    TextMessage text = new TextMessage(json.writeValueAsString(message));
    for (WebSocketSession session : open) {
      try {
        session.sendMessage(text);
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "dropping socket " + session.getId() + ": " + e);
        open.remove(session);
        closeQuietly(session);
      }
    }
  }

  /* Refuses the handshake with 404 unless the room exists. */
  @Override
  public boolean beforeHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Map<String, Object> attributes) {
    String room = room(request.getURI());
    if (room == null || !rooms.getObject().exists(room)) {
      response.setStatusCode(HttpStatus.NOT_FOUND);
      return false;
    }
    attributes.put(ROOM, room);
    return true;
  }

  @Override
  public void afterHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      @Nullable Exception exception) {}

  @Override
  public void afterConnectionEstablished(WebSocketSession session) {
    Object room = session.getAttributes().get(ROOM);
    if (room instanceof String name) {
      sessions
          .computeIfAbsent(name, r -> ConcurrentHashMap.newKeySet())
          .add(new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_LIMIT));
    }
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    Object room = session.getAttributes().get(ROOM);
    if (room instanceof String name) {
      Set<WebSocketSession> open = sessions.get(name);
      if (open != null) {
        open.removeIf(s -> s.getId().equals(session.getId()));
      }
    }
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    // Messages are posted through the HTTP API; anything a client sends here is ignored.
  }

  private static @Nullable String room(URI uri) {
    String path = uri.getPath();
    if (path == null) {
      return null;
    }
    int at = path.indexOf(PATH);
    return at < 0 ? null : path.substring(at + PATH.length());
  }

  private static void closeQuietly(WebSocketSession session) {
    try {
      session.close(CloseStatus.SESSION_NOT_RELIABLE);
    } catch (IOException e) {
      // already gone
    }
  }
}

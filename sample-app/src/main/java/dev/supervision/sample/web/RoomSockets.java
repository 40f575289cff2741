package dev.supervision.sample.web;

import dev.supervision.sample.chat.Message;
import dev.supervision.sample.chat.MessageFeed;
import dev.supervision.sample.chat.MessageHistory;
import dev.supervision.sample.chat.Rooms;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The room sockets, {@code /ws/rooms/{room}?after={id}}: a socket gets every message of its room
 * with an id above {@code after}, exactly once and in id order, as the same JSON as the API's:
 * first those already stored (replayed from the database), then each as the room stores it. A
 * client that reconnects with the last id it saw misses nothing and sees nothing twice. Without
 * {@code after}, a socket gets the messages stored after its handshake began. Sockets are held
 * here, outside the room servers, so they stay open when a room crashes and restarts.
 *
 * <p>The hand-over from replay to live has no gap and no duplicate: a new socket is registered as a
 * subscriber first, holding the live messages it is given; then the database is read from {@code
 * after} on and sent; then the held messages are sent, skipping those the replay already sent, and
 * the socket goes live. A room stores a message before publishing it, so one published before the
 * registration is in the database when it is read, and one published after is held.
 *
 * <p>A room publishes on its own thread, one message at a time; each session is wrapped in a {@link
 * ConcurrentWebSocketSessionDecorator} so that one slow client cannot hold a room for longer than
 * {@value #SEND_TIME_LIMIT_MS} ms: past that, or past {@value #BUFFER_LIMIT} buffered bytes, or
 * past {@value #HELD_LIMIT} messages held during its replay, the client is disconnected (and
 * reconnects with its last id). Messages from clients are ignored.
 */
@Component
class RoomSockets extends TextWebSocketHandler implements MessageFeed, HandshakeInterceptor {
  static final String PATH = "/ws/rooms/";
  private static final int SEND_TIME_LIMIT_MS = 5_000;
  private static final int BUFFER_LIMIT = 512 * 1024;
  private static final int REPLAY_PAGE = 500;
  private static final int HELD_LIMIT = 10_000;
  private static final String ROOM = "room";
  private static final String AFTER = "after";
  private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
  private static final System.Logger LOG = System.getLogger(RoomSockets.class.getName());

  private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
  private final JsonMapper json;
  private final ObjectProvider<Rooms> rooms; // the rooms publish here: resolved on first use
  private final MessageHistory history;

  RoomSockets(JsonMapper json, ObjectProvider<Rooms> rooms, MessageHistory history) {
    this.json = json;
    this.rooms = rooms;
    this.history = history;
  }

  @Override
  public void published(Message message) {
    Set<Subscriber> open = subscribers.get(message.room());
    if (open == null || open.isEmpty()) {
      return;
    }
    TextMessage text = text(message);
    for (Subscriber subscriber : open) {
      subscriber.live(message.id(), text);
    }
  }

  /*
   * Refuses the handshake with a 404 problem unless the room exists, and with a 400 problem if
   * 'after' is not a message id, the query string cannot be decoded or the Origin header is not a
   * URL. Without 'after', the room's newest id now: the socket then gets whatever is stored from
   * the handshake on.
   */
  @Override
  public boolean beforeHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Map<String, Object> attributes)
      throws IOException {
    URI uri = request.getURI();
    String room = room(uri);
    if (room == null || !rooms.getObject().exists(room)) {
      return refuse(response, HttpStatus.NOT_FOUND, "room '" + room + "' does not exist", uri);
    }
    String origin = request.getHeaders().getOrigin();
    if (origin != null && !isUrl(origin)) {
      // Spring's origin check, next, would fail on it with a 500.
      return refuse(response, HttpStatus.BAD_REQUEST, "the Origin header is not a URL", uri);
    }
    String after;
    try {
      // Tomcat's upgrade reads the parameters too, and would fail on them with a 500.
      after =
          request instanceof ServletServerHttpRequest servlet
              ? servlet.getServletRequest().getParameter(AFTER)
              : UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst(AFTER);
    } catch (IllegalStateException e) {
      return refuse(
          response,
          HttpStatus.BAD_REQUEST,
          "the query string could not be decoded: parameters must be percent-encoded UTF-8",
          uri);
    }
    if (after != null && !ID.matcher(after).matches()) {
      return refuse(
          response,
          HttpStatus.BAD_REQUEST,
          "after must be a message id (a whole number, 0 or more), such as after=42",
          uri);
    }
    attributes.put(ROOM, room);
    attributes.put(AFTER, after == null ? history.newestId(room) : Long.parseLong(after));
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
    if (session.getAttributes().get(ROOM) instanceof String room
        && session.getAttributes().get(AFTER) instanceof Long after) {
      Subscriber subscriber =
          new Subscriber(
              room,
              new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_LIMIT));
      subscribers.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(subscriber);
      subscriber.replay(after);
    }
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    if (session.getAttributes().get(ROOM) instanceof String room) {
      Set<Subscriber> open = subscribers.get(room);
      if (open != null) {
        open.removeIf(s -> s.session.getId().equals(session.getId()));
      }
    }
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    // Messages are posted through the HTTP API; anything a client sends here is ignored.
  }

  private TextMessage text(Message message) {
    return new TextMessage(json.writeValueAsString(message));
  }

  private static @Nullable String room(URI uri) {
    String path = uri.getPath();
    if (path == null) {
      return null;
    }
    int at = path.indexOf(PATH);
    return at < 0 ? null : path.substring(at + PATH.length());
  }

  private static boolean isUrl(String text) {
    try {
      UriComponentsBuilder.fromUriString(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean refuse(
      ServerHttpResponse response, HttpStatus status, String detail, URI uri) throws IOException {
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    response
        .getBody()
        .write(
            Problems.json(status.value(), detail, uri.getRawPath())
                .getBytes(StandardCharsets.UTF_8));
    return false;
  }

  /** A live message held for a socket that is still replaying. */
  private record Held(long id, TextMessage text) {}

  /**
   * One socket of a room. While it replays, the live messages it is given are held; once it is
   * live, they are sent at once. Either way under its lock, which is held briefly: the room's
   * thread never waits for a replay, only for the hand-over.
   */
  private final class Subscriber {
    private final String room;
    private final WebSocketSession session;
    private final ReentrantLock lock = new ReentrantLock();

    /* Guarded by lock. Held messages while replaying; null once live. */
    private @Nullable List<Held> held = new ArrayList<>();

    /* Guarded by lock. The id of the last message sent, once live. */
    private long lastSent;

    Subscriber(String room, WebSocketSession session) {
      this.room = room;
      this.session = session;
    }

    /* On the room's thread: a message just stored. */
    void live(long id, TextMessage text) {
      lock.lock();
      try {
        List<Held> replaying = held;
        if (replaying != null) {
          if (replaying.size() >= HELD_LIMIT) {
            drop("more than " + HELD_LIMIT + " messages arrived during its replay");
          } else {
            replaying.add(new Held(id, text));
          }
        } else if (id > lastSent && send(text)) {
          lastSent = id;
        }
      } finally {
        lock.unlock();
      }
    }

    /*
     * On the socket's opening thread, once registered: what the database holds after 'after'
     * (or after the room's newest id, if 'after' is past it: an id from before a reset), then
     * the held messages not sent yet.
     */
    void replay(long after) {
      long last = Math.min(after, history.newestId(room));
      List<Message> page;
      do {
        page = history.after(room, last, REPLAY_PAGE);
        for (Message message : page) {
          if (!send(text(message))) {
            return;
          }
          last = message.id();
        }
      } while (page.size() == REPLAY_PAGE);
      lock.lock();
      try {
        lastSent = last;
        List<Held> replaying = held;
        held = null;
        if (replaying != null) {
          for (Held message : replaying) {
            if (message.id() > lastSent && send(message.text())) {
              lastSent = message.id();
            }
          }
        }
      } finally {
        lock.unlock();
      }
    }

    /* Sends, or drops the socket if it cannot take the message (gone, too slow, too far behind). */
    private boolean send(TextMessage text) {
      try {
        session.sendMessage(text);
        return true;
      } catch (IOException | RuntimeException e) {
        drop(e.toString());
        return false;
      }
    }

    private void drop(String why) {
      LOG.log(System.Logger.Level.DEBUG, "dropping socket " + session.getId() + ": " + why);
      Set<Subscriber> open = subscribers.get(room);
      if (open != null) {
        open.remove(this);
      }
      try {
        session.close(CloseStatus.SESSION_NOT_RELIABLE);
      } catch (IOException e) {
        // already gone
      }
    }
  }
}

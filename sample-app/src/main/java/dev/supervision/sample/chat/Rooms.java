package dev.supervision.sample.chat;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildException;
import dev.supervision.core.supervisor.NamedChildren;
import dev.supervision.sample.ApiException;
import dev.supervision.sample.Names;
import dev.supervision.sample.Pids;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Sort;

/**
 * Rooms and their messages. A room is a row in the database and a {@link RoomServer} under the
 * {@code rooms} dynamic supervisor; after an application restart the servers are started again, at
 * start-up and, should one be missing, on first use. Thread-safe.
 */
public final class Rooms {
  /** The default page size of {@link #messages}. */
  public static final int DEFAULT_LIMIT = 50;

  /** The largest page size of {@link #messages}. */
  public static final int MAX_LIMIT = 500;

  private static final System.Logger LOG = System.getLogger(Rooms.class.getName());
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final NamedChildren<String, RoomServer.Message> servers;
  private final RoomRepository rooms;
  private final MessageRepository messages;
  private final Users users;
  private final MessageRateLimiter rateLimiter;

  Rooms(
      NamedChildren<String, RoomServer.Message> servers,
      RoomRepository rooms,
      MessageRepository messages,
      Users users,
      MessageRateLimiter rateLimiter) {
    this.servers = servers;
    this.rooms = rooms;
    this.messages = messages;
    this.users = users;
    this.rateLimiter = rateLimiter;
  }

  /**
   * Creates room {@code name} and starts its server.
   *
   * @throws ApiException.BadRequest if the name breaks the rule
   * @throws ApiException.Conflict if it exists
   * @throws ApiException.LimitReached if the most rooms already run
   */
  public Room create(@Nullable String name) {
    String room = Names.require("room name", name);
    if (rooms.existsByName(room)) {
      throw ApiException.conflict("room", room);
    }
    RoomEntity entity = new RoomEntity(room, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    try {
      rooms.saveAndFlush(entity);
    } catch (DataIntegrityViolationException e) {
      throw ApiException.conflict("room", room);
    }
    ServerRef<RoomServer.Message> server;
    try {
      server = server(room);
    } catch (ApiException.LimitReached e) {
      rooms.delete(entity); // no room without a server to run it
      throw e;
    }
    return describe(entity, server);
  }

  /**
   * Room {@code name}.
   *
   * @throws ApiException.NotFound if there is none
   */
  public Room get(String name) {
    RoomEntity entity = entity(name);
    return describe(entity, server(entity.name()));
  }

  /** Every room, by name. */
  public List<Room> list() {
    List<Room> list = new ArrayList<>();
    for (RoomEntity entity : rooms.findAll(Sort.by("name"))) {
      list.add(describe(entity, server(entity.name())));
    }
    return list;
  }

  /** Whether room {@code name} exists. */
  public boolean exists(String name) {
    return Names.isValid(name) && rooms.existsByName(name);
  }

  /**
   * Posts a message: answers once it is stored, after it has been published to the room's sockets.
   *
   * @throws ApiException.BadRequest if the content is empty or longer than {@value
   *     Message#MAX_LENGTH} characters
   * @throws ApiException.NotFound if the room or the user does not exist
   * @throws ApiException.TooManyRequests if the user sends too fast
   * @throws ApiException.Unavailable if the message could not be stored
   */
  public Message post(String room, @Nullable String user, @Nullable String content) {
    String text = requireContent(content);
    if (user == null) {
      throw ApiException.badRequest("user is required");
    }
    // A registered room server proves that the room exists (rooms are never deleted): no query.
    Pid running = servers.registry().whereis(room).orElse(null);
    ServerRef<RoomServer.Message> server =
        running != null ? ServerRef.of(running) : server(entity(room).name());
    if (users.find(user) == null) {
      throw ApiException.notFound("user", user);
    }
    rateLimiter.acquire(user);
    RoomServer.Posted posted;
    try {
      posted = server.call(replyTo -> new RoomServer.Post(user, text, replyTo), CALL_TIMEOUT);
    } catch (CallException.NoProc | CallException.ServerExited e) {
      // The room crashed before it took the message (a room only fails between messages): the
      // message was not stored, so it is safe to give it to the restarted room.
      posted = callAgain(room, user, text);
    } catch (CallException e) {
      throw ApiException.unavailable("room '" + room + "' did not answer: " + e.getMessage());
    }
    return switch (posted) {
      case RoomServer.Stored s -> s.message();
      case RoomServer.NotStored n ->
          throw ApiException.unavailable("the message was not stored: " + n.reason());
    };
  }

  private RoomServer.Posted callAgain(String room, String user, String text) {
    ServerRef<RoomServer.Message> server = servers.find(room).orElseGet(() -> server(room));
    try {
      return server.call(replyTo -> new RoomServer.Post(user, text, replyTo), CALL_TIMEOUT);
    } catch (CallException e) {
      throw ApiException.unavailable("room '" + room + "' did not answer: " + e.getMessage());
    }
  }

  /**
   * Messages of room {@code name}, oldest first: the newest {@code limit} ones, or the newest
   * {@code limit} with an id below {@code before}.
   *
   * @throws ApiException.BadRequest if {@code limit} is outside 1..{@value #MAX_LIMIT}
   * @throws ApiException.NotFound if the room does not exist
   */
  public List<Message> messages(String name, int limit, @Nullable Long before) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest(
          "limit must be between 1 and " + MAX_LIMIT + " but was " + limit);
    }
    String room = entity(name).name();
    List<MessageEntity> page =
        before == null
            ? messages.findByRoomOrderByIdDesc(room, Limit.of(limit))
            : messages.findByRoomAndIdLessThanOrderByIdDesc(room, before, Limit.of(limit));
    List<Message> result = new ArrayList<>(page.size());
    for (int i = page.size() - 1; i >= 0; i--) {
      result.add(page.get(i).toMessage());
    }
    return result;
  }

  /**
   * Makes room {@code name}'s server fail; its supervisor restarts it.
   *
   * @throws ApiException.NotFound if the room does not exist
   */
  public void crash(String name) {
    server(entity(name).name()).cast(RoomServer.Fail.INSTANCE);
  }

  /** The number of running room servers. */
  public int running() {
    return servers.count();
  }

  /** Starts the server of every stored room that has none (after an application restart). */
  public void startAll() {
    int started = 0;
    for (RoomEntity entity : rooms.findAll()) {
      try {
        if (servers.registry().whereis(entity.name()).isEmpty()) {
          servers.findOrStart(entity.name());
          started++;
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not start room " + entity.name(), e);
      }
    }
    if (started > 0) {
      LOG.log(System.Logger.Level.INFO, "started {0} stored rooms", started);
    }
  }

  private static String requireContent(@Nullable String content) {
    if (content == null || content.isBlank()) {
      throw ApiException.badRequest("content must not be empty");
    }
    int length = content.codePointCount(0, content.length());
    if (length > Message.MAX_LENGTH) {
      throw ApiException.badRequest(
          "content must be at most " + Message.MAX_LENGTH + " characters but has " + length);
    }
    return content;
  }

  private RoomEntity entity(String name) {
    if (!Names.isValid(name)) {
      throw ApiException.notFound("room", name);
    }
    return rooms.findByName(name).orElseThrow(() -> ApiException.notFound("room", name));
  }

  /*
   * The room's server, started if missing (the room is known to exist): a handle on its process
   * now, so that the pid a room shows is that of the server that answered it.
   */
  private ServerRef<RoomServer.Message> server(String room) {
    ServerRef<RoomServer.Message> named;
    try {
      named = servers.findOrStart(room);
    } catch (ChildException.MaxChildren e) {
      throw ApiException.limitReached("cannot start room '" + room + "': " + e.getMessage());
    } catch (ChildException.Restarting e) {
      throw ApiException.unavailable("room '" + room + "' is restarting and did not come back");
    } catch (ChildException e) {
      throw ApiException.unavailable("room '" + room + "' cannot be started: " + e.getMessage());
    }
    Pid pid = named.whereis();
    if (pid == null) {
      // It exited since: its restart, if it is restarted, comes back under the name.
      pid = servers.find(room).map(ServerRef::whereis).orElse(null);
    }
    if (pid == null) {
      throw ApiException.unavailable("room '" + room + "' is not running");
    }
    return ServerRef.of(pid);
  }

  private Room describe(RoomEntity entity, ServerRef<RoomServer.Message> server) {
    long count;
    ServerRef<RoomServer.Message> answered = server;
    try {
      count = server.call(RoomServer.Count::new, CALL_TIMEOUT);
    } catch (CallException.NoProc | CallException.ServerExited e) {
      answered = server(entity.name());
      try {
        count = answered.call(RoomServer.Count::new, CALL_TIMEOUT);
      } catch (CallException again) {
        throw ApiException.unavailable(
            "room '" + entity.name() + "' did not answer: " + again.getMessage());
      }
    } catch (CallException e) {
      throw ApiException.unavailable(
          "room '" + entity.name() + "' did not answer: " + e.getMessage());
    }
    return new Room(entity.name(), count, entity.createdAt(), Pids.format(answered.pid()));
  }
}

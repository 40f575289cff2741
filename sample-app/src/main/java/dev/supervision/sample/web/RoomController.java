package dev.supervision.sample.web;

import dev.supervision.sample.ApiException;
import dev.supervision.sample.chat.Message;
import dev.supervision.sample.chat.Room;
import dev.supervision.sample.chat.Rooms;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** {@code /api/rooms}: rooms and their messages. */
@RestController
@RequestMapping("/api/rooms")
class RoomController {
  private final Rooms rooms;

  RoomController(Rooms rooms) {
    this.rooms = rooms;
  }

  /** 201 with the room; 400 for an invalid name; 409 if it exists. */
  @PostMapping
  ResponseEntity<Room> create(@RequestBody ApiRequests.@Nullable NewRoom body) {
    if (body == null) {
      throw ApiException.badRequest("a JSON body {\"name\": ...} is required");
    }
    Room room = rooms.create(body.name());
    return ResponseEntity.created(URI.create("/api/rooms/" + segment(room.name()))).body(room);
  }

  /** 200 with every room and its message count. */
  @GetMapping
  List<Room> list() {
    return rooms.list();
  }

  /** 200 with the room; 404 if there is none. */
  @GetMapping("/{room}")
  Room get(@PathVariable String room) {
    return rooms.get(room);
  }

  /**
   * 201 with the stored message; 400 for empty or too long content; 404 for an unknown room or
   * user; 429 with Retry-After when the user sends too fast.
   */
  @PostMapping("/{room}/messages")
  ResponseEntity<Message> post(
      @PathVariable String room, @RequestBody ApiRequests.@Nullable NewMessage body) {
    if (body == null) {
      throw ApiException.badRequest("a JSON body {\"user\": ..., \"content\": ...} is required");
    }
    Message message = rooms.post(room, body.user(), body.content());
    return ResponseEntity.created(
            URI.create("/api/rooms/" + segment(room) + "/messages?before=" + (message.id() + 1)))
        .body(message);
  }

  /** 200 with at most {@code limit} messages, oldest first, with ids below {@code before}. */
  @GetMapping("/{room}/messages")
  List<Message> messages(
      @PathVariable String room,
      @RequestParam(defaultValue = "" + Rooms.DEFAULT_LIMIT) int limit,
      @RequestParam(required = false) @Nullable Long before) {
    return rooms.messages(room, limit, before);
  }

  private static String segment(String name) {
    return UriUtils.encodePathSegment(name, "UTF-8");
  }
}

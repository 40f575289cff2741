package dev.supervision.sample.web;

import dev.supervision.sample.chat.Rooms;
import dev.supervision.sample.counter.Counters;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The crash endpoints, to watch supervisors work: each makes a server fail, and its supervisor
 * restarts it. They exist unless {@code chat.crash.enabled=false} (the {@code prod} profile), where
 * these paths answer 404.
 */
@RestController
@ConditionalOnBooleanProperty(name = "chat.crash.enabled", matchIfMissing = true)
class CrashController {
  private final Rooms rooms;
  private final Counters counters;

  CrashController(Rooms rooms, Counters counters) {
    this.rooms = rooms;
    this.counters = counters;
  }

  /** 202: the counter fails and is restarted at zero; 404 if there is none. */
  @PostMapping("/api/counters/{name}/crash")
  ResponseEntity<Void> crashCounter(@PathVariable String name) {
    counters.crash(name);
    return ResponseEntity.accepted().build();
  }

  /** 202: the room fails and is restarted, reloading its state; 404 if there is none. */
  @PostMapping("/api/rooms/{room}/crash")
  ResponseEntity<Void> crashRoom(@PathVariable String room) {
    rooms.crash(room);
    return ResponseEntity.accepted().build();
  }
}

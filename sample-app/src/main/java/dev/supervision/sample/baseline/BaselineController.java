package dev.supervision.sample.baseline;

import dev.supervision.sample.ApiException;
import dev.supervision.sample.Names;
import dev.supervision.sample.chat.Message;
import dev.supervision.sample.chat.MessageStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/baseline}: the counter and message endpoints' work without processes, for the load
 * benchmark ({@code scripts/load-test.sh}). Counters are {@link AtomicLong}s in a map; a message is
 * validated the same way and inserted through the same JPA code ({@link MessageStore}), in the
 * request thread. No rate limit, no user or room check beyond the name rule, no sockets: the plain
 * cost of the work.
 */
@RestController
@RequestMapping("/api/baseline")
class BaselineController {
  private final ConcurrentMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final MessageStore store;

  BaselineController(MessageStore store) {
    this.store = store;
  }

  /** What a message post takes. */
  record NewMessage(@Nullable String user, @Nullable String content) {}

  /** 202, like the supervised counter's increment. */
  @PostMapping("/counters/{name}/increment")
  ResponseEntity<Void> increment(@PathVariable String name) {
    Names.require("counter name", name);
    counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    return ResponseEntity.accepted().build();
  }

  /** 200 with the value, 404 if there is no such counter. */
  @GetMapping("/counters/{name}")
  Value get(@PathVariable String name) {
    AtomicLong value = counters.get(name);
    if (value == null) {
      throw ApiException.notFound("counter", name);
    }
    return new Value(name, value.get());
  }

  /** A counter's value. */
  record Value(String name, long value) {}

  /** 201 with the stored message, inserted in the request thread. */
  @PostMapping("/rooms/{room}/messages")
  ResponseEntity<Message> post(@PathVariable String room, @RequestBody @Nullable NewMessage body) {
    Names.require("room name", room);
    if (body == null || body.content() == null || body.content().isBlank()) {
      throw ApiException.badRequest("content must not be empty");
    }
    String user = Names.require("user", body.user());
    String content = body.content();
    if (content.codePointCount(0, content.length()) > Message.MAX_LENGTH) {
      throw ApiException.badRequest("content is too long");
    }
    Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return ResponseEntity.status(201).body(store.store(room, user, content, sentAt));
  }
}

package dev.supervision.sample.web;

import dev.supervision.sample.counter.Counters;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/counters}: counters, each a supervised server. */
@RestController
@RequestMapping("/api/counters")
class CounterController {
  private final Counters counters;

  CounterController(Counters counters) {
    this.counters = counters;
  }

  /** 202: the increment is a cast, which creates the counter on first use. */
  @PostMapping("/{name}/increment")
  ResponseEntity<Void> increment(@PathVariable String name) {
    counters.increment(name);
    return ResponseEntity.accepted().build();
  }

  /** 200 with the value; 404 if there is no such counter. */
  @GetMapping("/{name}")
  Counters.Value get(@PathVariable String name) {
    return counters.get(name);
  }

  /** 200 with every counter. */
  @GetMapping
  List<Counters.Value> list() {
    return counters.list();
  }

  /** 204: the counter is stopped and forgotten; 404 if there is none. */
  @DeleteMapping("/{name}")
  ResponseEntity<Void> delete(@PathVariable String name) {
    counters.delete(name);
    return ResponseEntity.noContent().build();
  }
}

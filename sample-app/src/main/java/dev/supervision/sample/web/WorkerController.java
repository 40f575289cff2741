package dev.supervision.sample.web;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.WorkerInfo;
import dev.supervision.sample.Pids;
import dev.supervision.spring.LoadBalancerNamed;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/workers}: the round-robin pool that stores messages. */
@RestController
class WorkerController {
  private final LoadBalancer<?> writers;

  WorkerController(@LoadBalancerNamed("message-writers") LoadBalancer<?> writers) {
    this.writers = writers;
  }

  /**
   * The pool.
   *
   * @param name the balancer's name
   * @param strategy how it picks a worker
   * @param dispatches selections in total
   * @param workers each worker's state and dispatch count
   */
  record Pool(String name, String strategy, long dispatches, List<Worker> workers) {}

  /**
   * One worker.
   *
   * @param id its stable name
   * @param pid its process, if it has one now
   * @param state {@code UP}, {@code RESTARTING} or {@code DOWN}
   * @param dispatches how many messages were given to it
   */
  record Worker(String id, @Nullable String pid, String state, long dispatches) {}

  @GetMapping("/api/workers")
  Pool workers() {
    List<Worker> workers =
        writers.workers().stream()
            .map(
                (WorkerInfo w) ->
                    new Worker(
                        w.id(),
                        w.pid() == null ? null : Pids.format(w.pid()),
                        w.state().name(),
                        w.dispatches()))
            .toList();
    return new Pool(writers.name(), writers.strategy().name(), writers.dispatches(), workers);
  }
}

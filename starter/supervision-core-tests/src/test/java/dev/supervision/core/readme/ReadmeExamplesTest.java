package dev.supervision.core.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.process.Node;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.Backoff;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.Supervisor;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.core.supervisor.SupervisorSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/*
 * The README's "runtime without Spring" section, compiled and run. README.md quotes the regions
 * between the "README:" markers; ReadmeSnippetsTest checks that every Java block of the README
 * appears in one of these sources, so the README cannot drift from code that compiles.
 */
final class ReadmeExamplesTest {

  // README: counter
  final class Counter implements Server<Counter.Message> {
    sealed interface Message {}

    record Increment(long by) implements Message {}

    record Get(ReplyTo<Long> replyTo) implements Message {}

    private long value;

    @Override
    public void handle(Message message) {
      switch (message) {
        case Increment(long by) -> value += by;
        case Get(var replyTo) -> replyTo.reply(value);
      }
    }
  }

  // README: end

  @Test
  void theRuntimeWithoutSpringExampleRunsAsTheReadmeSays() {
    long seen;
    // README: runtime
    try (Node node = Node.create("demo")) {
      SupervisorRef app =
          Supervisor.start(
              node,
              SupervisorSpec.of("app", Strategy.ONE_FOR_ONE)
                  .withIntensity(3, Duration.ofSeconds(5))
                  .withChildren(
                      ChildSpec.server(
                              "counter", Counter::new, StartOptions.named(node.name("counter")))
                          .withBackoff(
                              Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(5)))));
      ServerRef<Counter.Message> counter = ServerRef.of(node.name("counter"));
      counter.cast(new Counter.Increment(2)); // never blocks, never fails
      long value = counter.call(Counter.Get::new); // waits up to 5 s for the answer
      // README: end
      seen = value;
      assertThat(app.whichChildren()).hasSize(1);
    }
    assertThat(seen).isEqualTo(2);
  }
}

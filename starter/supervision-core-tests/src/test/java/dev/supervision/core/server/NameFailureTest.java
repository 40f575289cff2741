package dev.supervision.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.Name;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class NameFailureTest {

  /** A name whose registration always throws, like a via name on a closed registry. */
  static final class BrokenName implements Name {
    @Override
    public Optional<Pid> register(Pid self) {
      throw new IllegalStateException("registry closed");
    }

    @Override
    public @Nullable Pid whereis() {
      return null;
    }
  }

  @Test
  void aNameThatCannotRegisterFailsTheStartAtOnceWithTheCause() {
    try (Node node = Node.create("names")) {
      long started = System.nanoTime();
      assertThatThrownBy(
              () ->
                  GenServer.start(
                      node,
                      () -> new EchoServer(new ArrayList<>()),
                      StartOptions.named(new BrokenName()).withInitTimeout(Duration.ofSeconds(30))))
          .isInstanceOf(StartException.class)
          .hasRootCauseMessage("registry closed");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }
}

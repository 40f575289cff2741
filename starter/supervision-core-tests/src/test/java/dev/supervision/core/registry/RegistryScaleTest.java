package dev.supervision.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class RegistryScaleTest {
  private static final int N = 100_000;
  private Node node;

  @BeforeEach
  void createNode() {
    node = Node.create("registry-scale");
  }

  @AfterEach
  void closeNode() {
    node.close();
  }

  private List<Pid> spawnRegistrants(int count, CountDownLatch registered, Registrant body) {
    List<Pid> pids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = i;
      pids.add(
          node.spawn(
              self -> {
                body.register(n);
                registered.countDown();
                self.receive();
              }));
    }
    return pids;
  }

  @FunctionalInterface
  private interface Registrant {
    void register(int n);
  }

  @Test
  void oneHundredThousandProcesses_registerAndAreRemovedWhenTheyExit() throws Exception {
    Registry<String, @Nullable Object> registry = Registry.unique(node, "many");
    CountDownLatch registered = new CountDownLatch(N);
    List<Pid> pids = spawnRegistrants(N, registered, n -> registry.register("p" + n, n));
    assertThat(registered.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(registry.count()).isEqualTo(N);
    assertThat(registry.whereis("p" + (N - 1))).contains(pids.get(N - 1));
    for (Pid pid : pids) {
      pid.send("exit");
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> registry.count() == 0);
    assertThat(registry.lookup("p0")).isEmpty();
  }

  @Test
  void oneProcessWithOneHundredThousandKeys_isRemovedWhenItExits() {
    Registry<String, @Nullable Object> registry = Registry.unique(node, "wide");
    Pid actor = Actor.start(node);
    Actor.exec(
        actor,
        () -> {
          for (int i = 0; i < N; i++) {
            registry.register("k" + i, i);
          }
        });
    assertThat(registry.count()).isEqualTo(N);
    assertThat(registry.keys(actor)).hasSize(N);
    Actor.crash(actor);
    assertThat(registry.count()).isZero();
    assertThat(registry.lookup("k42")).isEmpty();
  }

  @Test
  void oneHundredThousandProcessesUnderOneDuplicateKey_areAllFoundAndAllRemoved() throws Exception {
    Registry<String, @Nullable Object> registry = Registry.duplicate(node, "topic");
    CountDownLatch registered = new CountDownLatch(N);
    List<Pid> pids = spawnRegistrants(N, registered, n -> registry.register("news", n));
    assertThat(registered.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(registry.count()).isEqualTo(N);
    assertThat(registry.lookup("news")).hasSize(N);
    for (int i = 0; i < N; i += 2) {
      node.kill(pids.get(i));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> registry.count() == N / 2);
    assertThat(registry.lookup("news")).hasSize(N / 2).allMatch(e -> e.pid().isAlive());
    for (Pid pid : pids) {
      pid.send("exit");
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> registry.count() == 0);
    assertThat(registry.lookup("news")).isEmpty();
  }
}

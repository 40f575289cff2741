package dev.supervision.test;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit Jupiter extension that gives each test a fresh {@link Node}, as a parameter of the test
 * method or of its {@code @BeforeEach} and {@code @AfterEach} methods (the same node for all
 * three), and closes it after the test. Use it through {@link SupervisionTest}, or with
 * {@code @ExtendWith(NodeExtension.class)}.
 *
 * {@snippet :
 * @SupervisionTest
 * final class CounterTest {
 *   @Test
 *   void countsIncrements(Node node) {
 *     ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
 *     counter.cast(new Counter.Increment(2));
 *     assertThat(counter.call(Counter.Get::new)).isEqualTo(2L);
 *     counter.stop();
 *   }
 * }
 * }
 *
 * <p>After the test and its {@code @AfterEach} methods, the test fails if processes are still
 * running on the node, naming them: a test must stop what it started ({@code ServerRef.stop()}, a
 * supervisor handle's {@code stop()}), so that a leak or a process that would not stop shows up
 * where it happens. Processes that are exiting get {@value #EXIT_GRACE_MILLIS} ms to finish; {@link
 * TestProbe}s are not counted. The node is closed either way, which kills whatever is left.
 */
public final class NodeExtension implements ParameterResolver, AfterEachCallback {

  /** How long processes still exiting when the test ends get to finish before they count. */
  public static final long EXIT_GRACE_MILLIS = 1_000;

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(NodeExtension.class);
  private static final String NODE = "node";

  /** Made by JUnit. */
  public NodeExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Node.class;
  }

  @Override
  public Node resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (!(parameter.getDeclaringExecutable() instanceof Method)
        || context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "NodeExtension gives a Node to test methods and their @BeforeEach and @AfterEach methods"
              + " only, not to "
              + parameter.getDeclaringExecutable());
    }
    return context
        .getStore(NAMESPACE)
        .computeIfAbsent(NODE, key -> Node.create(nodeName(context)), Node.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Node node = context.getStore(NAMESPACE).remove(NODE, Node.class);
    if (node == null) {
      return;
    }
    try {
      List<Pid> running = stillRunning(node, Duration.ofMillis(EXIT_GRACE_MILLIS));
      if (!running.isEmpty()) {
        throw new AssertionError(
            "the test left "
                + running.size()
                + (running.size() == 1 ? " process" : " processes")
                + " running on node "
                + node.name()
                + ": "
                + running
                + "; stop what the test starts (ServerRef.stop(), a supervisor's stop()) before"
                + " it ends");
      }
    } finally {
      node.close();
    }
  }

  /* The node's live processes other than probes, once those exiting have had `grace` to finish. */
  private static List<Pid> stillRunning(Node node, Duration grace) {
    List<Pid> running = running(node);
    if (running.isEmpty()) {
      return running;
    }
    CountDownLatch exited = new CountDownLatch(running.size());
    for (Pid pid : running) {
      node.monitor(pid, (p, reason) -> exited.countDown());
    }
    try {
      exited.await(grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return running(node);
  }

  private static List<Pid> running(Node node) {
    Probes probes = Probes.of(node);
    List<Pid> running = new ArrayList<>();
    for (Pid pid : node.processes()) {
      if (pid.isAlive() && !probes.contains(pid)) {
        running.add(pid);
      }
    }
    running.sort((a, b) -> Long.compare(a.id(), b.id()));
    return running;
  }

  private static String nodeName(ExtensionContext context) {
    @Nullable Method method = context.getTestMethod().orElse(null);
    String test = method == null ? context.getDisplayName() : method.getName();
    return context.getRequiredTestClass().getSimpleName() + "." + test;
  }
}

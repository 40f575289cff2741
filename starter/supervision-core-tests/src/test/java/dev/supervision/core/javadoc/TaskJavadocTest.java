package dev.supervision.core.javadoc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.javadoc.Examples.Log;
import dev.supervision.core.process.Node;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Shutdown;
import dev.supervision.core.task.StreamOptions;
import dev.supervision.core.task.Task;
import dev.supervision.core.task.TaskOptions;
import dev.supervision.core.task.TaskResult;
import dev.supervision.core.task.TaskSupervisor;
import dev.supervision.test.SupervisionTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * The Javadoc examples of the task package, each quoted verbatim after a "// Javadoc: Type" comment
 * that names its source (JavadocSnippetsTest checks that every one is quoted), run, with what they
 * claim asserted.
 */
@SupervisionTest
final class TaskJavadocTest {

  @Nested
  final class TaskExample {

    private int expensive() {
      return 6 * 7;
    }

    @Test
    void awaitReturnsTheTasksValue(Node node) {
      DynamicSupervisorRef tasks = TaskSupervisor.start(node, "tasks");

      // Javadoc: Task
      Task<Integer> task = TaskSupervisor.asyncNolink(tasks, () -> expensive());
      int value = task.await(Duration.ofSeconds(2));

      assertThat(value).isEqualTo(42);
      tasks.stop();
    }
  }

  @Nested
  final class StreamOptionsExample {

    @Test
    void optionsAreCopiedOneByOne() {
      // Javadoc: StreamOptions
      StreamOptions options =
          StreamOptions.defaults()
              .withMaxConcurrency(8)
              .withTimeout(Duration.ofSeconds(2))
              .withOnTimeout(StreamOptions.OnTimeout.EXIT)
              .withZipInputOnExit(true);

      assertThat(options)
          .isEqualTo(
              new StreamOptions(
                  8, true, Duration.ofSeconds(2), StreamOptions.OnTimeout.EXIT, true));
    }
  }

  /* The TaskOptions example: a mail that fails once is sent again, as its task is transient. */
  @Nested
  final class TaskOptionsExample {
    private final AtomicInteger attempts = new AtomicInteger();
    private final CompletableFuture<String> sent = new CompletableFuture<>();
    private final String order = "order-17";

    private void sendMail(String about) {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("mail server busy");
      }
      sent.complete("mail about " + about);
    }

    @Test
    void aTransientTaskThatCrashesRunsAgain(Node node) throws Exception {
      DynamicSupervisorRef tasks = TaskSupervisor.start(node, "tasks");

      // Javadoc: TaskOptions
      TaskSupervisor.startChild(
          tasks,
          () -> sendMail(order),
          TaskOptions.defaults()
              .withRestart(Restart.TRANSIENT)
              .withShutdown(Shutdown.brutalKill()));

      assertThat(sent.get(5, TimeUnit.SECONDS)).isEqualTo("mail about order-17");
      assertThat(attempts).hasValue(2);
      tasks.stop();
    }
  }

  /* The TaskSupervisor example's world: pages fetched by url, rendered, or logged as failures. */
  @Nested
  final class TaskSupervisorExample {
    private static final String SLOW = "https://example.com/slow";
    private static final String BROKEN = "https://example.com/broken";

    private final Log log = new Log();
    private final List<String> rendered = new CopyOnWriteArrayList<>();
    private final CountDownLatch slowPageMayFinish = new CountDownLatch(1);
    private String url = "https://example.com/";
    private List<String> urls = List.of("https://example.com/a", "https://example.com/bb");

    private String fetch(String address) throws InterruptedException {
      if (address.equals(BROKEN)) {
        throw new IllegalStateException("no route to " + address);
      }
      if (address.equals(SLOW)) {
        slowPageMayFinish.await(5, TimeUnit.SECONDS);
      }
      return "<html>" + address + "</html>";
    }

    private void render(String page) {
      rendered.add(page);
    }

    private void fetchRenderAndMeasure(Node node) throws Exception {
      // Javadoc: TaskSupervisor
      DynamicSupervisorRef tasks = TaskSupervisor.start(node, "tasks");
      Task<String> page = TaskSupervisor.asyncNolink(tasks, () -> fetch(url));
      switch (page.poll(Duration.ofSeconds(1)).orElse(new TaskResult.TimedOut<>())) {
        case TaskResult.Ok<String> ok -> render(ok.value());
        case TaskResult.Exited<String> failed -> log.warn("fetch failed: {}", failed.reason());
        case TaskResult.TimedOut<String> t -> log.warn("too slow");
      }
      try (Stream<TaskResult<Integer>> sizes =
          TaskSupervisor.asyncStream(
              tasks, urls, url -> fetch(url).length(), StreamOptions.defaults())) {
        sizes.forEach(System.out::println);
      }

      slowPageMayFinish.countDown();
      tasks.stop();
    }

    @Test
    void aFetchedPageIsRenderedAndTheSizesArePrintedInOrder(Node node) throws Exception {
      String printed = Examples.printed(() -> fetchRenderAndMeasure(node));

      assertThat(rendered).containsExactly("<html>https://example.com/</html>");
      assertThat(log.lines).isEmpty();
      assertThat(printed.lines()).containsExactly("Ok[value=34]", "Ok[value=35]");
    }

    @Test
    void aFetchThatThrowsIsLoggedWithItsExitReason(Node node) throws Exception {
      url = BROKEN;
      urls = List.of(BROKEN);

      String printed = Examples.printed(() -> fetchRenderAndMeasure(node));

      assertThat(rendered).isEmpty();
      assertThat(log.lines)
          .singleElement()
          .asString()
          .startsWith("WARN fetch failed: ")
          .contains("no route to " + BROKEN);
      assertThat(printed.lines()).singleElement().asString().startsWith("Exited[");
    }

    @Test
    void aPageNotFetchedWithinTheSecondIsLoggedAsTooSlow(Node node) throws Exception {
      url = SLOW;
      urls = List.of();

      Examples.printed(() -> fetchRenderAndMeasure(node));

      assertThat(rendered).isEmpty();
      assertThat(log.lines).containsExactly("WARN too slow");
    }
  }
}

package dev.supervision.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

final class SupervisionMetricsTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SupervisionAutoConfiguration.class,
                  SupervisionMetricsAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class))
          .withUserConfiguration(WorkerConfiguration.class)
          .withPropertyValues(
              "supervision.supervisors.rooms.type=dynamic",
              "supervision.supervisors.rooms.max-restarts=100",
              "supervision.registries.names.keys=unique",
              "supervision.load-balancers.pricers.worker=worker",
              "supervision.load-balancers.pricers.pool-size=2");

  @Test
  void escalationsExistAtZeroForEverySupervisorFromTheStart() {
    runner.run(
        context -> {
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          for (String supervisor : List.of("root", "rooms")) {
            assertThat(
                    meters
                        .get("supervision.escalations")
                        .tag("supervisor", supervisor)
                        .counter()
                        .count())
                .isZero();
          }
          Node node = context.getBean(Node.class);
          assertThat(meters.get("supervision.processes").gauge().value())
              .isEqualTo(node.processCount());
        });
  }

  @Test
  void dynamicChildrenAreCountedUnderTheirSpecIdNeverByPid() {
    runner.run(
        context -> {
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          DynamicSupervisorRef rooms =
              context.getBean("supervision.supervisor.rooms", DynamicSupervisorRef.class);
          List<Pid> pids = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            pids.add(rooms.startChild(ChildSpec.server("room", Worker::new)));
          }
          ServerRef.<Worker.Message>of(pids.getFirst()).cast(Worker.Crash.INSTANCE);
          await()
              .atMost(Duration.ofSeconds(5))
              .untilAsserted(
                  () ->
                      assertThat(
                              meters
                                  .get("supervision.restarts")
                                  .tags("supervisor", "rooms", "child", "room")
                                  .counter()
                                  .count())
                          .isEqualTo(1.0));
          await()
              .atMost(Duration.ofSeconds(5))
              .untilAsserted(
                  () ->
                      assertThat(
                              meters
                                  .get("supervision.children")
                                  .tags("supervisor", "rooms", "state", "running")
                                  .gauge()
                                  .value())
                          .isEqualTo(3.0));
          double failedAt =
              meters
                  .get("supervision.child.last.failure")
                  .tags("supervisor", "rooms", "child", "room", "reason", "IllegalStateException")
                  .gauge()
                  .value();
          assertThat(failedAt)
              .isCloseTo(
                  (double) Instant.now().getEpochSecond(),
                  org.assertj.core.data.Offset.offset(60.0));
          for (Meter meter : meters.getMeters()) {
            assertThat(meter.getId().getTags()).noneMatch(tag -> tag.getValue().startsWith("<"));
          }
        });
  }

  @Test
  void mailboxDepthSumsTheMailboxesOfASupervisorsChildren() {
    runner.run(
        context -> {
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          DynamicSupervisorRef rooms =
              context.getBean("supervision.supervisor.rooms", DynamicSupervisorRef.class);
          ServerRef<Worker.Message> room =
              ServerRef.of(rooms.startChild(ChildSpec.server("room", Worker::new)));
          CountDownLatch release = new CountDownLatch(1);
          room.cast(new Worker.Block(release));
          for (int i = 0; i < 5; i++) {
            room.cast(Worker.Queued.INSTANCE);
          }
          await()
              .atMost(Duration.ofSeconds(5))
              .untilAsserted(
                  () ->
                      assertThat(
                              meters
                                  .get("supervision.mailbox.depth")
                                  .tag("supervisor", "rooms")
                                  .gauge()
                                  .value())
                          .isEqualTo(5.0));
          release.countDown();
        });
  }

  @Test
  void callsAreTimedByServerAndOutcome() {
    runner.run(
        context -> {
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          Node node = context.getBean(Node.class);
          ServerRef<Worker.Message> echo =
              GenServer.start(node, Worker::new, StartOptions.DEFAULTS.withLabel("echo"));
          assertThat(echo.call(Worker.echo("hello"))).isEqualTo("hello");
          CountDownLatch release = new CountDownLatch(1);
          echo.cast(new Worker.Block(release));
          try {
            echo.call(Worker.echo("late"), Duration.ofMillis(50));
          } catch (CallException.Timeout expected) {
            // counted as timeout
          } finally {
            release.countDown();
          }
          echo.stop();
          try {
            echo.call(Worker.echo("again"));
          } catch (CallException.NoProc expected) {
            // a dead pid still names its node: counted as noproc
          }
          assertThat(
                  meters
                      .get("supervision.calls")
                      .tags("server", "echo", "outcome", "ok")
                      .timer()
                      .count())
              .isEqualTo(1);
          for (String outcome : List.of("timeout", "noproc")) {
            assertThat(
                    meters
                        .get("supervision.calls")
                        .tags("server", "echo", "outcome", outcome)
                        .timer()
                        .count())
                .as(outcome)
                .isEqualTo(1);
          }
        });
  }

  @Test
  void loadBalancerDispatchesAreCountedPerPoolWorker() {
    runner.run(
        context -> {
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          WorkerPool<Worker.Message> pool = pricers(context);
          pool.select(Duration.ofSeconds(5));
          await().atMost(Duration.ofSeconds(5)).until(() -> pool.workers().size() == 2);
          pool.call(Worker.echo("a"));
          pool.call(Worker.echo("b"));
          double total = 0;
          for (String worker : List.of("pricers-0", "pricers-1")) {
            total +=
                meters
                    .get("supervision.loadbalancer.dispatches")
                    .tags("balancer", "pricers", "worker", worker)
                    .functionCounter()
                    .count();
          }
          assertThat(total).isEqualTo((double) pool.dispatches());
          assertThat(
                  meters
                      .get("supervision.registry.entries")
                      .tag("registry", "names")
                      .gauge()
                      .value())
              .isZero();
        });
  }

  /* The pool bean, whose workers are Worker beans. */
  @SuppressWarnings("unchecked")
  private static WorkerPool<Worker.Message> pricers(ApplicationContext context) {
    return context.getBean("supervision.load-balancer.pricers", WorkerPool.class);
  }

  /* Echoes; Block blocks it until released; Queued does nothing; Crash crashes it. */
  static final class Worker implements Server<Worker.Message> {
    sealed interface Message {}

    record Echo(String text, ReplyTo<String> replyTo) implements Message {}

    static Function<ReplyTo<String>, Message> echo(String text) {
      return replyTo -> new Echo(text, replyTo);
    }

    record Block(CountDownLatch release) implements Message {}

    enum Queued implements Message {
      INSTANCE
    }

    enum Crash implements Message {
      INSTANCE
    }

    @Override
    public void handle(Message message) throws InterruptedException {
      switch (message) {
        case Echo(var text, var replyTo) -> replyTo.reply(text);
        case Block(var release) -> release.await();
        case Queued queued -> {}
        case Crash crash -> throw new IllegalStateException("crash requested");
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class WorkerConfiguration {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    Worker worker() {
      return new Worker();
    }
  }
}

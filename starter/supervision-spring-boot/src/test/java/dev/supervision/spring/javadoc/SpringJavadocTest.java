package dev.supervision.spring.javadoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Keys;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.core.supervisor.Shutdown;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.SupervisorHandle;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.core.supervisor.TreeSpec;
import dev.supervision.spring.LoadBalancerNamed;
import dev.supervision.spring.RegistryNamed;
import dev.supervision.spring.SupervisedChild;
import dev.supervision.spring.SupervisedChildSpec;
import dev.supervision.spring.SupervisionTree;
import dev.supervision.spring.SupervisorNamed;
import dev.supervision.spring.autoconfigure.SupervisionAutoConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;
import org.springframework.test.util.ReflectionTestUtils;

/*
 * The Javadoc examples of the Spring layer, each quoted verbatim after a "// Javadoc: Type" comment
 * that names its source (JavadocSnippetsTest, in the core's tests, checks that every one is
 * quoted), run in an application context (or, for SupervisionTree, on a node), with what they claim
 * asserted. The example classes are nested in interfaces so that they are static, as Spring needs,
 * while their text stays the Javadoc's.
 */
@SuppressWarnings("SameNameButDifferent") // each server nests its own Message (STYLE.md)
final class SpringJavadocTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SupervisionAutoConfiguration.class));

  /* The examples' chat room, its repository, a message writer and a ticker that tells the time. */
  record Room(String name) {}

  static final class RoomRepository {
    Optional<Room> find(String name) {
      return Optional.of(new Room(name));
    }
  }

  static final class MessageWriter implements Server<MessageWriter.Request> {
    sealed interface Request {}

    record Write(String text, ReplyTo<String> replyTo) implements Request {}

    @Override
    public void handle(Request request) {
      switch (request) {
        case Write(var text, var replyTo) -> replyTo.reply("wrote " + text);
      }
    }
  }

  static final class Ticker implements Server<Ticker.Message> {
    sealed interface Message {}

    record Now(ReplyTo<Instant> replyTo) implements Message {}

    private final Clock clock;

    Ticker(Clock clock) {
      this.clock = clock;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Now(var replyTo) -> replyTo.reply(clock.instant());
      }
    }
  }

  @SuppressWarnings("UnusedVariable") // the examples' fields show the injection
  interface SupervisorNamedExample {
    // Javadoc: SupervisorNamed
    @Service
    class Rooms {
      private final DynamicSupervisorRef rooms;

      Rooms(@SupervisorNamed("rooms") DynamicSupervisorRef rooms) {
        this.rooms = rooms;
      }
    }
  }

  @SuppressWarnings("UnusedVariable") // the examples' fields show the injection
  interface RegistryNamedExample {
    // Javadoc: RegistryNamed
    @Service
    class Rooms {
      private final Registry<String, Object> names;

      Rooms(@RegistryNamed("room-names") Registry<String, Object> names) {
        this.names = names;
      }
    }
  }

  @SuppressWarnings("UnusedVariable") // the examples' fields show the injection
  interface LoadBalancerNamedExample {
    // Javadoc: LoadBalancerNamed
    @Service
    class Messages {
      private final LoadBalancer<MessageWriter.Request> writers;

      Messages(@LoadBalancerNamed("writers") LoadBalancer<MessageWriter.Request> writers) {
        this.writers = writers;
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class WriterConfiguration {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    MessageWriter messageWriter() {
      return new MessageWriter();
    }
  }

  @Nested
  final class Qualifiers {

    @Test
    void supervisorNamedInjectsTheNamedSupervisorsHandle() {
      runner
          .withPropertyValues("supervision.supervisors.rooms.type=dynamic")
          .withUserConfiguration(SupervisorNamedExample.Rooms.class)
          .run(
              context -> {
                Object injected =
                    ReflectionTestUtils.getField(
                        context.getBean(SupervisorNamedExample.Rooms.class), "rooms");
                assertThat(injected)
                    .isEqualTo(context.getBean(SupervisionTree.class).supervisor("rooms"))
                    .isInstanceOf(DynamicSupervisorRef.class);
              });
    }

    @Test
    void registryNamedInjectsTheNamedRegistry() {
      runner
          .withPropertyValues("supervision.registries.room-names.keys=unique")
          .withUserConfiguration(RegistryNamedExample.Rooms.class)
          .run(
              context -> {
                Registry<?, ?> injected =
                    (Registry<?, ?>)
                        ReflectionTestUtils.getField(
                            context.getBean(RegistryNamedExample.Rooms.class), "names");
                assertThat(injected).isNotNull();
                assertThat(injected.name()).isEqualTo("room-names");
                assertThat(injected.keys()).isEqualTo(Keys.UNIQUE);
              });
    }

    @Test
    void loadBalancerNamedInjectsTheNamedLoadBalancer() {
      runner
          .withPropertyValues(
              "supervision.load-balancers.writers.worker=messageWriter",
              "supervision.load-balancers.writers.pool-size=2")
          .withUserConfiguration(WriterConfiguration.class, LoadBalancerNamedExample.Messages.class)
          .run(
              context -> {
                @SuppressWarnings("unchecked")
                LoadBalancer<MessageWriter.Request> injected =
                    (LoadBalancer<MessageWriter.Request>)
                        ReflectionTestUtils.getField(
                            context.getBean(LoadBalancerNamedExample.Messages.class), "writers");
                assertThat(injected).isNotNull();
                assertThat(injected.name()).isEqualTo("writers");
                String wrote = injected.call(r -> new MessageWriter.Write("hi", r));
                assertThat(wrote).isEqualTo("wrote hi");
              });
    }
  }

  @SuppressWarnings("UnusedVariable") // the example's repository is what init would load from
  interface SupervisedChildExample {
    // Javadoc: SupervisedChild
    @Component
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(
        supervisor = "chat",
        id = "rooms-cache",
        restart = Restart.TRANSIENT,
        order = 10)
    class RoomsCache implements Server<RoomsCache.Message> {
      sealed interface Message {}

      record Find(String name, ReplyTo<Optional<Room>> replyTo) implements Message {}

      private final RoomRepository rooms; // injected, again after every restart
      private final Map<String, Room> cache = new HashMap<>();

      RoomsCache(RoomRepository rooms) {
        this.rooms = rooms;
      }

      @Override
      public void init(ServerContext<Message> context) {
        // load state: init runs in the new process, before the supervisor starts the next child
      }

      @Override
      public void handle(Message message) {
        switch (message) {
          case Find(var name, var replyTo) -> replyTo.reply(Optional.ofNullable(cache.get(name)));
        }
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TickerConfiguration {
    @Bean
    Clock clock() {
      return Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    }

    // Javadoc: SupervisedChildSpec
    @Bean
    SupervisedChildSpec ticker(Clock clock) {
      return SupervisedChildSpec.of(
          "jobs",
          ChildSpec.server("ticker", () -> new Ticker(clock)).withShutdown(Shutdown.brutalKill()));
    }
  }

  @Nested
  final class SupervisedBeans {

    @Test
    void anAnnotatedPrototypeServerRunsUnderItsSupervisorAndAFreshOneAfterEachRestart() {
      runner
          .withPropertyValues("supervision.supervisors.chat.strategy=one-for-one")
          .withBean(RoomRepository.class)
          .withUserConfiguration(SupervisedChildExample.RoomsCache.class)
          .run(
              context -> {
                SupervisorHandle chat = context.getBean(SupervisionTree.class).supervisor("chat");
                assertThat(chat).isNotNull();
                ChildInfo child = chat.whichChildren().get(0);
                assertThat(child.id()).isEqualTo("rooms-cache");
                assertThat(child.restart()).isEqualTo(Restart.TRANSIENT);
                ServerRef<SupervisedChildExample.RoomsCache.Message> cache =
                    ServerRef.of(child.pid());
                Optional<Room> lobby =
                    cache.call(r -> new SupervisedChildExample.RoomsCache.Find("lobby", r));
                assertThat(lobby).isEmpty();
              });
    }

    @Test
    void aChildSpecBeanAddsItsChildToTheNamedSupervisor() {
      runner
          .withPropertyValues("supervision.supervisors.jobs.strategy=one-for-one")
          .withUserConfiguration(TickerConfiguration.class)
          .run(
              context -> {
                SupervisorHandle jobs = context.getBean(SupervisionTree.class).supervisor("jobs");
                assertThat(jobs).isNotNull();
                ChildInfo child = jobs.whichChildren().get(0);
                assertThat(child.id()).isEqualTo("ticker");
                assertThat(child.shutdown()).isEqualTo(Shutdown.brutalKill());
                ServerRef<Ticker.Message> ticker = ServerRef.of(child.pid());
                Instant now = ticker.call(Ticker.Now::new);
                assertThat(now).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
              });
    }
  }

  @Nested
  final class SupervisionTreeExample {
    private final Node node = Node.create("javadoc");
    private final List<String> stopped = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeNode() {
      node.close();
    }

    /* Records its stop, so that the test sees the order in which the tree stops. */
    final class History implements Server<History.Message> {
      enum Message {}

      @Override
      public void init(ServerContext<Message> context) {
        context.process().trapExits(true);
      }

      @Override
      public void handle(Message message) {
        // Message has no value
      }

      @Override
      public void terminate(ExitReason reason) {
        stopped.add("history");
      }
    }

    final class ChatRoom implements Server<ChatRoom.Message> {
      enum Message {}

      @Override
      public void init(ServerContext<Message> context) {
        context.process().trapExits(true);
      }

      @Override
      public void handle(Message message) {
        // Message has no value
      }

      @Override
      public void terminate(ExitReason reason) {
        stopped.add("room");
      }
    }

    @Test
    void theTreeStartsAsDeclaredAndStopsInReverseOrder() {
      ChildSpec roomSpec = ChildSpec.server("room", ChatRoom::new);

      // Javadoc: SupervisionTree
      TreeSpec spec =
          TreeSpec.builder(SupervisorSpec.of("root", Strategy.ONE_FOR_ONE))
              .supervisor("root", SupervisorSpec.of("chat", Strategy.REST_FOR_ONE))
              .supervisor(
                  "chat",
                  DynamicSupervisorSpec.of("rooms").withIntensity(10, Duration.ofSeconds(1)))
              .child("chat", ChildSpec.server("history", History::new))
              .build();
      SupervisionTree tree = new SupervisionTree(node, spec);
      tree.start(); // root -> chat -> [rooms, history]
      if (tree.supervisor("rooms") instanceof DynamicSupervisorRef rooms) {
        rooms.startChild(roomSpec);
      }
      tree.stop(); // history, then rooms, then chat, then the root

      assertThat(stopped).containsExactly("history", "room");
      assertThat(tree.isRunning()).isFalse();
      // a process leaves the count when its thread ends, just after its monitors have fired
      await().atMost(Duration.ofSeconds(5)).until(() -> node.processCount() == 0);
    }

    @Test
    void theRunningTreeHasTheDeclaredShape() {
      TreeSpec spec =
          TreeSpec.builder(SupervisorSpec.of("root", Strategy.ONE_FOR_ONE))
              .supervisor("root", SupervisorSpec.of("chat", Strategy.REST_FOR_ONE))
              .supervisor("chat", DynamicSupervisorSpec.of("rooms"))
              .child("chat", ChildSpec.server("history", History::new))
              .build();
      SupervisionTree tree = new SupervisionTree(node, spec);
      tree.start();

      assertThat(tree.root().whichChildren()).extracting(ChildInfo::id).containsExactly("chat");
      SupervisorHandle chat = tree.supervisor("chat");
      assertThat(chat).isNotNull();
      assertThat(chat.whichChildren())
          .extracting(ChildInfo::id)
          .containsExactly("rooms", "history");
      Pid rooms = chat.whichChildren().get(0).pid();
      assertThat(tree.supervisor("rooms")).isInstanceOf(DynamicSupervisorRef.class);
      assertThat(tree.supervisor("rooms").whereis()).isEqualTo(rooms);
      tree.stop();
    }
  }
}

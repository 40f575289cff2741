package dev.supervision.sample.chat;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.NamedChildren;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.sample.ChatProperties;
import dev.supervision.spring.LoadBalancerNamed;
import dev.supervision.spring.RegistryNamed;
import dev.supervision.spring.SupervisorNamed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The chat's rooms: their servers, the service over them, their meters. */
@Configuration(proxyBeanMethods = false)
class ChatConfiguration {

  @Bean
  Rooms roomService(
      @SupervisorNamed("rooms") DynamicSupervisorRef supervisor,
      @RegistryNamed("room-names") Registry<String, @Nullable Object> registry,
      @LoadBalancerNamed("message-writers") LoadBalancer<MessageWriter.Request> writers,
      RoomRepository rooms,
      MessageRepository messages,
      MessageFeed feed,
      Users users,
      MessageRateLimiter rateLimiter,
      ChatProperties properties,
      MeterRegistry meters) {
    Counter stored =
        Counter.builder("chat.messages")
            .description("Messages stored in the chat's rooms")
            .register(meters);
    RoomServer.Dependencies deps =
        new RoomServer.Dependencies(
            writers, messages, feed, stored, properties.writeTimeout(), RoomServer.MAX_BATCH);
    // Every room is a child of id 'room' (the bounded metric tag), registered under its name.
    NamedChildren<String, RoomServer.Message> servers =
        NamedChildren.of(supervisor, registry, "room", name -> new RoomServer(name, deps))
            .withRestart(Restart.TRANSIENT)
            .withRestartWait(properties.restartWait());
    Gauge.builder("chat.rooms", servers, NamedChildren::count)
        .description("Running room servers")
        .strongReference(true)
        .register(meters);
    return new Rooms(servers, rooms, messages, users, rateLimiter);
  }

  /** Starts the servers of the stored rooms once the application has started. */
  @Bean
  ApplicationRunner startStoredRooms(Rooms rooms) {
    return args -> rooms.startAll();
  }
}

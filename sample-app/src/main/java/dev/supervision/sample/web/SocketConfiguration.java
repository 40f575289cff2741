package dev.supervision.sample.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** The room sockets at {@code /ws/rooms/{room}}, same origin only (Spring's default). */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class SocketConfiguration implements WebSocketConfigurer {
  private final RoomSockets sockets;

  SocketConfiguration(RoomSockets sockets) {
    this.sockets = sockets;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(sockets, RoomSockets.PATH + "*").addInterceptors(sockets);
  }
}

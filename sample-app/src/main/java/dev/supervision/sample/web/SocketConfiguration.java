package dev.supervision.sample.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The room sockets at {@code /ws/rooms/{room}}, same origin only (Spring's default). A refused
 * handshake is answered as a problem like any other error (see {@link ProblemHandshakeHandler}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class SocketConfiguration implements WebSocketConfigurer {
  private final RoomSockets sockets;

  SocketConfiguration(RoomSockets sockets) {
    this.sockets = sockets;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry
        .addHandler(sockets, RoomSockets.PATH + "*")
        .setHandshakeHandler(new ProblemHandshakeHandler())
        .addInterceptors(sockets);
  }

  /**
   * Spring's handshake, except that a wrong {@code Upgrade} or {@code Connection} header is a bare
   * 400 instead of one with a plain-text body: like the handshake's other refusals (a wrong method,
   * origin or version, no key), it is then written as a problem by Tomcat's error report ({@link
   * ProblemErrorReportValve}), which explains what a socket needs.
   */
  static final class ProblemHandshakeHandler extends DefaultHandshakeHandler {
    @Override
    protected void handleInvalidUpgradeHeader(
        ServerHttpRequest request, ServerHttpResponse response) {
      response.setStatusCode(HttpStatus.BAD_REQUEST);
    }

    @Override
    protected void handleInvalidConnectHeader(
        ServerHttpRequest request, ServerHttpResponse response) {
      response.setStatusCode(HttpStatus.BAD_REQUEST);
    }
  }
}

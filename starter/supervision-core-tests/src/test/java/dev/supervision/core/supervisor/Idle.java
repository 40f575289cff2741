package dev.supervision.core.supervisor;

import dev.supervision.core.server.Server;

/**
 * A server that takes no messages (its protocol is {@code Void}) and does nothing until it ends.
 */
final class Idle implements Server<Void> {

  @Override
  public void handle(Void message) {}
}

package dev.supervision.sample.chat;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.NoWorkerAvailableException;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.sample.Crash;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One chat room: a server under the {@code rooms} dynamic supervisor, registered under the room's
 * name in the {@code room-names} registry. It orders the room's messages: each is stored through
 * the writer pool, then counted and published to the room's sockets, one at a time, so sockets see
 * them in id order. Its state (the message count) is reloaded from the database in {@code init}, so
 * a restart loses nothing.
 */
final class RoomServer implements Server<RoomServer.Message> {

  /** The messages of a room. */
  sealed interface Message {}

  /** Stores and publishes a message (a call); the reply is a {@link Posted}. */
  record Post(String user, String content, ReplyTo<Posted> replyTo) implements Message {}

  /** The room's message count (a call). */
  record Count(ReplyTo<Long> replyTo) implements Message {}

  /** Makes the room fail (a cast). */
  enum Fail implements Message {
    INSTANCE
  }

  /** The answer to {@link Post}. */
  sealed interface Posted {}

  /** The message was stored. */
  record Stored(dev.supervision.sample.chat.Message message) implements Posted {}

  /** The message could not be stored; nothing was published. */
  record NotStored(String reason) implements Posted {}

  /**
   * What a room needs; one instance shared by all rooms.
   *
   * @param writers the pool that stores messages
   * @param messages to count the room's messages in {@code init}
   * @param feed where stored messages are published
   * @param stored counts stored messages ({@code chat.messages})
   * @param writeTimeout how long a room waits for a writer
   */
  record Dependencies(
      LoadBalancer<MessageWriter.Request> writers,
      MessageRepository messages,
      MessageFeed feed,
      Counter stored,
      Duration writeTimeout) {}

  private final String name;
  private final Dependencies deps;
  private long messageCount;

  RoomServer(String name, Dependencies deps) {
    this.name = name;
    this.deps = deps;
  }

  @Override
  public void init(ServerContext<Message> context) {
    messageCount = deps.messages().countByRoom(name);
  }

  @Override
  public void handle(Message message) {
    switch (message) {
      case Post(var user, var content, var replyTo) -> replyTo.reply(post(user, content));
      case Count(var replyTo) -> replyTo.reply(messageCount);
      case Fail f -> throw new Crash("room '" + name + "'");
    }
  }

  /*
   * A writer failing or timing out is the writer's problem, not the room's: the room answers that
   * the message was not stored and keeps running. (A timeout may still have stored it; the caller
   * is told it is unknown.)
   */
  private Posted post(String user, String content) {
    Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    dev.supervision.sample.chat.Message message;
    try {
      message =
          deps.writers()
              .call(
                  replyTo -> new MessageWriter.Store(name, user, content, sentAt, replyTo),
                  deps.writeTimeout());
    } catch (CallException | NoWorkerAvailableException e) {
      return new NotStored(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    messageCount++;
    deps.stored().increment();
    deps.feed().published(message);
    return new Stored(message);
  }
}

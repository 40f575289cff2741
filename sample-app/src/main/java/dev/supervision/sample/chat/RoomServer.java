package dev.supervision.sample.chat;

import dev.supervision.core.balance.LoadBalancer;
import dev.supervision.core.balance.NoWorkerAvailableException;
import dev.supervision.core.process.ExitReason;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.Info;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.sample.Crash;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One chat room: a server under the {@code rooms} dynamic supervisor, registered under the room's
 * name in the {@code room-names} registry. It orders the room's messages and stores them by group
 * commit: the posts it takes are kept, with their callers, until its mailbox is empty (or {@link
 * Dependencies#maxBatch} are waiting), then stored through the writer pool in one transaction; once
 * that has committed, each message is counted, published to the room's sockets and answered, in the
 * order the room took them, so their ids ascend in that order and sockets see them in id order. No
 * caller is answered before its message is durable; if the batch fails, every caller in it is told
 * that its message was not stored, and none of it is. Any other message first stores the posts
 * taken before it. Its state (the message count) is reloaded from the database in {@code init}, so
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
   * @param maxBatch the most messages a room stores in one transaction
   */
  record Dependencies(
      LoadBalancer<MessageWriter.Request> writers,
      MessageRepository messages,
      MessageFeed feed,
      Counter stored,
      Duration writeTimeout,
      int maxBatch) {
    Dependencies {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be >= 1 but was " + maxBatch);
      }
    }
  }

  /** The default {@link Dependencies#maxBatch}. */
  static final int MAX_BATCH = 256;

  /* A post taken and not yet stored, with its caller. */
  private record Pending(MessageStore.NewMessage message, ReplyTo<Posted> replyTo) {}

  private final String name;
  private final Dependencies deps;
  /* The posts taken since the last store, in order; at most maxBatch. */
  private final List<Pending> batch = new ArrayList<>();
  private @Nullable ServerContext<Message> context;
  private long messageCount;

  RoomServer(String name, Dependencies deps) {
    this.name = name;
    this.deps = deps;
  }

  @Override
  public void init(ServerContext<Message> context) {
    this.context = context;
    messageCount = deps.messages().countByRoom(name);
  }

  @Override
  public void handle(Message message) {
    switch (message) {
      case Post(var user, var content, var replyTo) -> {
        Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        batch.add(new Pending(new MessageStore.NewMessage(user, content, sentAt), replyTo));
        if (batch.size() >= deps.maxBatch()) {
          store();
        }
      }
      case Count(var replyTo) -> {
        store();
        replyTo.reply(messageCount);
      }
      case Fail f -> {
        store();
        throw new Crash("room '" + name + "'");
      }
    }
    storeWhenIdle();
  }

  @Override
  public void handleInfo(Info info) throws Exception {
    switch (info) {
      case Info.Timeout timeout -> store();
      case Info.Down down -> Server.super.handleInfo(down);
      case Info.Exit exit -> Server.super.handleInfo(exit);
      case Info.Message other -> Server.super.handleInfo(other);
    }
    storeWhenIdle();
  }

  /*
   * Stopped (by its supervisor, or the application shutting down) with posts taken and not stored:
   * their callers are told so, rather than the room waiting for writers that may be stopping too.
   */
  @Override
  public void terminate(ExitReason reason) {
    NotStored notStored = new NotStored("room '" + name + "' stopped before storing it");
    for (Pending p : batch) {
      p.replyTo().reply(notStored);
    }
    batch.clear();
  }

  /*
   * A zero timeout arrives as soon as the mailbox is empty, after every message already queued:
   * the posts among them join the batch first (OTP's {noreply, State, 0}).
   */
  private void storeWhenIdle() {
    if (!batch.isEmpty()) {
      Objects.requireNonNull(context, "context").timeoutAfter(Duration.ZERO);
    }
  }

  /*
   * Stores the batch in one call to a writer (one transaction). A writer failing or timing out is
   * the writer's problem, not the room's: the room answers that the messages were not stored and
   * keeps running. (A timeout may still have stored them; the callers are told it is unknown.)
   * While the room waits for the writer, new posts queue in its mailbox: the next batch.
   */
  private void store() {
    if (batch.isEmpty()) {
      return;
    }
    List<Pending> pending = List.copyOf(batch);
    batch.clear();
    List<MessageStore.NewMessage> messages = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      messages.add(p.message());
    }
    List<dev.supervision.sample.chat.Message> stored;
    try {
      stored =
          deps.writers()
              .call(
                  replyTo -> new MessageWriter.Store(name, messages, replyTo), deps.writeTimeout());
    } catch (CallException | NoWorkerAvailableException e) {
      NotStored notStored = new NotStored(e.getMessage() == null ? e.toString() : e.getMessage());
      for (Pending p : pending) {
        p.replyTo().reply(notStored);
      }
      return;
    }
    if (stored.size() != pending.size()) {
      throw new IllegalStateException(
          "a writer stored " + stored.size() + " messages of " + pending.size());
    }
    messageCount += stored.size();
    deps.stored().increment(stored.size());
    for (int i = 0; i < stored.size(); i++) {
      deps.feed().published(stored.get(i));
      pending.get(i).replyTo().reply(new Stored(stored.get(i)));
    }
  }
}

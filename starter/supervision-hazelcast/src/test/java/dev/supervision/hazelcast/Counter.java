package dev.supervision.hazelcast;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/* A test server whose protocol crosses members. */
final class Counter implements Server<Counter.Message> {
  sealed interface Message extends Serializable {}

  record Add(long amount) implements Message {}

  record Get(ReplyTo<Long> replyTo) implements Message {}

  /* Records the number, in arrival order. */
  record Append(int number) implements Message {}

  record Appended(ReplyTo<List<Integer>> replyTo) implements Message {}

  /* Throws instead of replying. */
  record Crash(String why, ReplyTo<Long> replyTo) implements Message {}

  /* Keeps the reply target and never answers. */
  record Hold(ReplyTo<Long> replyTo) implements Message {}

  /* Answers with what it was given. */
  record Echo(@Nullable Object value, ReplyTo<@Nullable Object> replyTo) implements Message {}

  /* Answers with something that cannot be serialized. */
  record Unserializable(ReplyTo<Object> replyTo) implements Message {}

  /* Calls another counter for its value and answers with it. */
  record Ask(ServerRef<Message> other, ReplyTo<Long> replyTo) implements Message {}

  private long value;
  private final List<Integer> appended = new ArrayList<>();
  private final List<ReplyTo<Long>> held = new ArrayList<>();

  @Override
  public void handle(Message message) {
    switch (message) {
      case Add add -> value += add.amount();
      case Get get -> get.replyTo().reply(value);
      case Append append -> appended.add(append.number());
      case Appended a -> a.replyTo().reply(List.copyOf(appended));
      case Crash crash -> throw new IllegalStateException(crash.why());
      case Hold hold -> held.add(hold.replyTo());
      case Echo echo -> echo.replyTo().reply(echo.value());
      case Unserializable u -> u.replyTo().reply(new Object());
      case Ask ask -> ask.replyTo().reply(ask.other().call(Get::new));
    }
  }
}

package dev.supervision.core.javadoc;

import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/*
 * The servers and values that the core's Javadoc examples use (Counter, Room, Cache, ...): small,
 * but real enough that the *JavadocTest classes beside can check what each example claims.
 */
@SuppressWarnings("SameNameButDifferent") // each server nests its own Message (STYLE.md)
final class Examples {
  private Examples() {}

  /* The Javadoc's counter: Increment adds, Get answers the total. */
  static final class Counter implements Server<Counter.Message> {
    sealed interface Message {}

    record Increment(long by) implements Message {}

    record Get(ReplyTo<Long> replyTo) implements Message {}

    private long value;

    @Override
    public void handle(Message message) {
      switch (message) {
        case Increment(long by) -> value += by;
        case Get(var replyTo) -> replyTo.reply(value);
      }
    }
  }

  /* A chat room: keeps its posts; its topic is "welcome to <name>". */
  static final class Room implements Server<Room.Message> {
    sealed interface Message {}

    record Post(String from, String text) implements Message {}

    record GetTopic(ReplyTo<String> replyTo) implements Message {}

    record GetPosts(ReplyTo<List<String>> replyTo) implements Message {}

    private final String name;
    private final List<String> posts = new ArrayList<>();

    Room() {
      this("lobby");
    }

    Room(String name) {
      this.name = name;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Post(var from, var text) -> posts.add(from + ": " + text);
        case GetTopic(var replyTo) -> replyTo.reply("welcome to " + name);
        case GetPosts(var replyTo) -> replyTo.reply(List.copyOf(posts));
      }
    }
  }

  record Profile(String name) {}

  /* A cache of profiles by key; one per partition (which it answers) in the PartitionSupervisor examples. */
  static final class Cache implements Server<Cache.Message> {
    sealed interface Message {}

    record Put(String key, Profile profile) implements Message {}

    record Get(String key, ReplyTo<Profile> replyTo) implements Message {}

    record GetPartition(ReplyTo<Integer> replyTo) implements Message {}

    private final int partition;
    private final Map<String, Profile> entries = new HashMap<>();

    Cache() {
      this(0);
    }

    Cache(int partition) {
      this.partition = partition;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Put(var key, var profile) -> entries.put(key, profile);
        case Get(var key, var replyTo) -> replyTo.reply(entries.get(key));
        case GetPartition(var replyTo) -> replyTo.reply(partition);
      }
    }
  }

  record Price(String symbol, long cents) {}

  /* Quotes a price per symbol; Refresh moves it up by one cent. */
  static final class PriceWorker implements Server<PriceWorker.Message> {
    sealed interface Message {}

    record Quote(String symbol, ReplyTo<Price> replyTo) implements Message {}

    record Refresh(String symbol) implements Message {}

    private final Map<String, Long> cents = new HashMap<>();

    @Override
    public void handle(Message message) {
      switch (message) {
        case Quote(var symbol, var replyTo) ->
            replyTo.reply(new Price(symbol, cents.getOrDefault(symbol, 100L)));
        case Refresh(var symbol) -> cents.merge(symbol, 101L, (old, fresh) -> old + 1);
      }
    }
  }

  /* Answers a search with the query it was given; joins a group's "search" key if given one. */
  static final class SearchWorker implements Server<SearchWorker.Message> {
    sealed interface Message {}

    record Search(String query, ReplyTo<List<String>> replyTo) implements Message {}

    private final @Nullable Registry<String, Object> group;

    SearchWorker() {
      this(null);
    }

    SearchWorker(@Nullable Registry<String, Object> group) {
      this.group = group;
    }

    @Override
    public void init(ServerContext<Message> context) {
      if (group != null) {
        group.register("search", "worker");
      }
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Search(var query, var replyTo) -> replyTo.reply(List.of(query));
      }
    }
  }

  record User(String name) {}

  /* Looks users up by name; every name is a user. */
  static final class Users implements Server<Users.Message> {
    sealed interface Message {}

    record Lookup(String name, ReplyTo<User> replyTo) implements Message {}

    @Override
    public void handle(Message message) {
      switch (message) {
        case Lookup(var name, var replyTo) -> replyTo.reply(new User(name));
      }
    }
  }

  /* Servers that only need to run: the examples' feed, chat history and extra child. */
  static final class Feed implements Server<Feed.Message> {
    enum Message {}

    @Override
    public void handle(Message message) {
      // Message has no value
    }
  }

  static final class History implements Server<History.Message> {
    enum Message {}

    @Override
    public void handle(Message message) {
      // Message has no value
    }
  }

  static final class Extra implements Server<Extra.Message> {
    enum Message {}

    @Override
    public void handle(Message message) {
      // Message has no value
    }
  }

  /* Stands in for an application's SLF4J logger: records each line, "{}" filled in. */
  static final class Log {
    final List<String> lines = new CopyOnWriteArrayList<>();

    void info(String format, Object argument) {
      lines.add("INFO " + format.replace("{}", String.valueOf(argument)));
    }

    void warn(String format, Object argument) {
      lines.add("WARN " + format.replace("{}", String.valueOf(argument)));
    }

    void warn(String line) {
      lines.add("WARN " + line);
    }
  }

  /* What `code` prints on System.out (the examples that print). Not for concurrent tests. */
  static String printed(Code code) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      code.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @FunctionalInterface
  interface Code {
    void run() throws Exception;
  }
}

package dev.supervision.core.server;

import static dev.supervision.core.server.EchoServer.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.core.process.Node;
import dev.supervision.core.server.EchoServer.Event;
import dev.supervision.core.server.EchoServer.Message;
import dev.supervision.core.server.EchoServer.Note;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/*
 * Messages outside a server's protocol: a raw Pid.send, or a cast or call through a ServerRef given
 * the wrong protocol. They reach handleInfo as Info.Message, never handle, and never crash anyone.
 */
final class UnexpectedMessageTest {
  private final Node node = Node.create("unexpected-test");
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeNode() {
    node.close();
    assertThat(node.processCount()).isZero();
  }

  /* A protocol EchoServer does not speak. */
  sealed interface Other {}

  record Stray(String text) implements Other {}

  record Ask(ReplyTo<String> replyTo) implements Other {}

  private ServerRef<Message> startEcho() {
    return GenServer.start(node, () -> new EchoServer(events));
  }

  /* The Info.Message events recorded so far, unwrapped. */
  private List<Object> infoMessages() {
    return events.stream()
        .filter(e -> e.kind().equals("info"))
        .map(Event::what)
        .filter(Info.Message.class::isInstance)
        .map(Info.Message.class::cast)
        .<Object>map(Info.Message::message)
        .toList();
  }

  @Nested
  final class RawSend {

    @Test
    void aRawSendReachesHandleInfoAsAMessageAndTheServerRunsOn() {
      ServerRef<Message> echo = startEcho();

      echo.pid().send(42);

      assertThat(echo(echo, "still here")).isEqualTo("still here");
      assertThat(infoMessages()).containsExactly(42);
    }

    @Test
    void aRawSendOfAProtocolMessageIsNoCastAndReachesHandleInfo() {
      ServerRef<Message> echo = startEcho();

      echo.pid().send(new Note("sent raw"));
      echo(echo, "sync");

      assertThat(infoMessages()).containsExactly(new Note("sent raw"));
      assertThat(events).doesNotContain(new Event("cast", "sent raw"));
    }
  }

  @Nested
  final class WrongProtocol {

    @Test
    void aCastThroughARefOfTheWrongProtocolReachesHandleInfoAndTheServerRunsOn() {
      ServerRef<Message> echo = startEcho();
      ServerRef<Other> wrong = ServerRef.of(echo.pid());

      wrong.cast(new Stray("not for you"));

      assertThat(echo(echo, "still here")).isEqualTo("still here");
      assertThat(infoMessages()).containsExactly(new Stray("not for you"));
      assertThat(echo.pid().exitReason()).isEmpty();
    }

    @Test
    void aCallThroughARefOfTheWrongProtocolTimesOutAndTheServerRunsOn() {
      ServerRef<Message> echo = startEcho();
      ServerRef<Other> wrong = ServerRef.of(echo.pid());

      assertThatThrownBy(() -> wrong.call(Ask::new, Duration.ofMillis(100)))
          .isInstanceOfSatisfying(
              CallException.Timeout.class, e -> assertThat(e.request()).isInstanceOf(Ask.class));

      assertThat(echo(echo, "still here")).isEqualTo("still here");
      assertThat(infoMessages()).singleElement().isInstanceOf(Ask.class);
      assertThat(echo.pid().exitReason()).isEmpty();
    }
  }

  @Nested
  final class DefaultHandleInfo {
    /* Held so that the logger, and the handler on it, is not collected during the test. */
    private final Logger serverLog = Logger.getLogger(Server.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };

    @BeforeEach
    void captureTheServerLog() {
      serverLog.addHandler(capture);
    }

    @AfterEach
    void releaseTheServerLog() {
      serverLog.removeHandler(capture);
    }

    /* The warnings logged about servers of class `server`, as formatted text. */
    private List<String> warningsAbout(Class<?> server) {
      SimpleFormatter formatter = new SimpleFormatter();
      return records.stream()
          .filter(r -> Level.WARNING.equals(r.getLevel()))
          .map(formatter::formatMessage)
          .filter(text -> text.startsWith(server.getName() + " "))
          .toList();
    }

    /* The protocol of the servers below. */
    sealed interface Hush {}

    record Get(ReplyTo<String> replyTo) implements Hush {}

    /*
     * Servers that keep the default handleInfo. Only this class uses them, and each test sends
     * them other message classes, so that every pair (server class, message class) is new.
     */
    static final class Quiet implements Server<Hush> {
      @Override
      public void handle(Hush message) {
        switch (message) {
          case Get(var replyTo) -> replyTo.reply("quiet");
        }
      }
    }

    static final class AlsoQuiet implements Server<Hush> {
      @Override
      public void handle(Hush message) {
        switch (message) {
          case Get(var replyTo) -> replyTo.reply("also quiet");
        }
      }
    }

    record RawNote(String text) {}

    record Unknown(int n) implements Other {}

    @Test
    void strayMessagesNeitherCrashTheServerNorReachHandle() {
      ServerRef<Hush> quiet = GenServer.start(node, Quiet::new);
      ServerRef<Other> wrong = ServerRef.of(quiet.pid());

      quiet.pid().send("raw");
      wrong.cast(new Stray("cast"));
      String answer = quiet.call(Get::new);

      assertThat(answer).isEqualTo("quiet");
      assertThat(quiet.pid().exitReason()).isEmpty();
    }

    @Test
    void logsAtWarningOncePerServerClassAndMessageClass() {
      ServerRef<Hush> quiet = GenServer.start(node, Quiet::new);
      ServerRef<Hush> anotherQuiet = GenServer.start(node, Quiet::new);
      ServerRef<Hush> alsoQuiet = GenServer.start(node, AlsoQuiet::new);

      quiet.pid().send(new RawNote("first"));
      quiet.pid().send(new RawNote("second"));
      ServerRef.<Other>of(quiet).cast(new Unknown(1));
      ServerRef.<Other>of(quiet).cast(new Unknown(2));
      quiet.call(Get::new);
      anotherQuiet.pid().send(new RawNote("third"));
      anotherQuiet.call(Get::new);
      alsoQuiet.pid().send(new RawNote("fourth"));
      alsoQuiet.call(Get::new);

      assertThat(warningsAbout(Quiet.class))
          .satisfiesExactly(
              text -> assertThat(text).contains(RawNote.class.getName(), "RawNote[text=first]"),
              text -> assertThat(text).contains(Unknown.class.getName(), "Unknown[n=1]"));
      assertThat(warningsAbout(AlsoQuiet.class))
          .singleElement()
          .satisfies(
              text -> assertThat(text).contains(RawNote.class.getName(), "RawNote[text=fourth]"));
    }
  }
}

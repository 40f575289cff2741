package dev.supervision.core.registry;

import static dev.supervision.test.Exits.awaitExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.process.Name;
import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.server.StartException;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ViaTest {
  private Node node;
  private Registry<String, @Nullable Object> rooms;

  /** A chat room: answers its pid, crashes on request, forwards posts to a queue. */
  static final class Room implements Server<Room.Message> {
    sealed interface Message {}

    /** Call: answers the room's pid. */
    record WhoAmI(ReplyTo<@Nullable Pid> replyTo) implements Message {}

    /** Cast: crash. */
    enum Crash implements Message {
      INSTANCE
    }

    /** Cast: put {@code text} on {@link #CASTS}. */
    record Post(String text) implements Message {}

    static final LinkedBlockingQueue<Object> CASTS = new LinkedBlockingQueue<>();

    private @Nullable ServerContext<Message> context;

    @Override
    public void init(ServerContext<Message> context) {
      this.context = context;
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case WhoAmI(var replyTo) -> {
          ServerContext<Message> c = context;
          replyTo.reply(c == null ? null : c.process().self());
        }
        case Crash crash -> throw new IllegalStateException("room crashed");
        case Post(var text) -> CASTS.add(text);
      }
    }
  }

  /* A handle on the room registered under `key`, whichever process that is at each use. */
  private ServerRef<Room.Message> room(String key) {
    return ServerRef.of(rooms.via(key));
  }

  @BeforeEach
  void setUp() {
    node = Node.create("via-test");
    rooms = Registry.unique(node, "rooms");
    Room.CASTS.clear();
  }

  @AfterEach
  void tearDown() {
    node.close();
  }

  @Test
  void aServerStartedWithAViaName_isRegistered_andCallsAndCastsReachIt() throws Exception {
    Pid lobby = GenServer.start(node, Room::new, StartOptions.named(rooms.via("room:lobby"))).pid();
    assertThat(rooms.whereis("room:lobby")).contains(lobby);
    Pid answered = room("room:lobby").call(Room.WhoAmI::new);
    assertThat(answered).isSameAs(lobby);
    room("room:lobby").cast(new Room.Post("hello"));
    assertThat(Room.CASTS.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
    assertThat(rooms.via("room:lobby").whereis()).isSameAs(lobby);
    assertThat(rooms.via("room:lobby")).isEqualTo(rooms.via("room:lobby"));
    assertThat(rooms.via("room:lobby")).hasToString("via(rooms, room:lobby)");
  }

  @Test
  void aViaNameWithAValue_registersThatValue() {
    Pid lobby =
        GenServer.start(node, Room::new, StartOptions.named(rooms.via("room:lobby", "topic")))
            .pid();
    assertThat(rooms.lookup("room:lobby")).containsExactly(new Registry.Entry<>(lobby, "topic"));
  }

  @Test
  void aSecondStartUnderATakenName_failsWithTheExistingPid() {
    Name name = rooms.via("room:lobby");
    Pid lobby = GenServer.start(node, Room::new, StartOptions.named(name)).pid();
    StartException e =
        catchThrowableOfType(
            StartException.class, () -> GenServer.start(node, Room::new, StartOptions.named(name)));
    assertThat(e.alreadyStarted()).contains(lobby);
    assertThat(rooms.count()).isEqualTo(1);
  }

  @Test
  void aFreeName_isNoProcForCalls_andDropsCasts() {
    Name free = rooms.via("room:none");
    assertThat(free.whereis()).isNull();
    assertThatThrownBy(() -> room("room:none").call(Room.WhoAmI::new))
        .isInstanceOf(CallException.NoProc.class);
    room("room:none").cast(new Room.Post("dropped"));
    assertThat(Room.CASTS).isEmpty();
  }

  @Test
  void viaOnADuplicateRegistry_isRefused() {
    Registry<String, @Nullable Object> groups = Registry.duplicate(node, "groups");
    assertThatThrownBy(() -> groups.via("g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("registry 'groups': via is not supported for duplicate registries");
  }

  @Test
  void aServerWhoseInitFails_releasesItsName() {
    Name name = rooms.via("room:broken");
    assertThatThrownBy(
            () ->
                GenServer.start(
                    node,
                    () ->
                        new Server<Room.Message>() {
                          @Override
                          public void init(ServerContext<Room.Message> context) {
                            throw new IllegalStateException("no");
                          }

                          @Override
                          public void handle(Room.Message message) {
                            // never reached: init fails
                          }
                        },
                    StartOptions.named(name)))
        .isInstanceOf(StartException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> rooms.lookup("room:broken").isEmpty());
    Pid room = GenServer.start(node, Room::new, StartOptions.named(name)).pid();
    assertThat(rooms.whereis("room:broken")).contains(room);
  }

  @Test
  void aCrashedRoomsNameIsFreeAgain_whenItIsNotRestarted() {
    DynamicSupervisorRef supervisor =
        DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms-sup"));
    Name name = rooms.via("room:lobby");
    ServerRef<Room.Message> lobby = ServerRef.of(name);
    ChildSpec room =
        ChildSpec.server("room", Room::new, StartOptions.named(name))
            .withRestart(Restart.TEMPORARY);
    Pid first = supervisor.startChild(room);
    lobby.cast(Room.Crash.INSTANCE);
    assertThat(awaitExit(first, Actor.TIMEOUT)).isInstanceOf(ExitReason.Crashed.class);
    assertThat(name.whereis()).isNull();
    assertThatThrownBy(() -> lobby.call(Room.WhoAmI::new)).isInstanceOf(CallException.NoProc.class);
    Pid second = supervisor.startChild(room);
    Pid answered = lobby.call(Room.WhoAmI::new);
    assertThat(answered).isSameAs(second);
  }

  @Test
  void aRestartedRoom_reRegistersItsNameUnderItsNewPid() {
    DynamicSupervisorRef supervisor =
        DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms-sup"));
    Name name = rooms.via("room:lobby");
    ServerRef<Room.Message> lobby = ServerRef.of(name);
    Pid first =
        supervisor.startChild(ChildSpec.server("room", Room::new, StartOptions.named(name)));
    lobby.cast(Room.Crash.INSTANCE);
    // The restart would fail with "already started" if the name were still held by the dead pid.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> name.whereis() != null && name.whereis() != first);
    Pid second = rooms.whereis("room:lobby").orElseThrow();
    assertThat(second.isAlive()).isTrue();
    assertThat(supervisor.whichChildren())
        .singleElement()
        .satisfies(child -> assertThat(child.pid()).isSameAs(second));
    Pid answered = lobby.call(Room.WhoAmI::new);
    assertThat(answered).isSameAs(second);
    assertThat(rooms.count()).isEqualTo(1);
  }
}

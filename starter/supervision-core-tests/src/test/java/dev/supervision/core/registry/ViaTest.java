package dev.supervision.core.registry;

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
import dev.supervision.core.server.StartException;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisor;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.Restart;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ViaTest {
  private Node node;
  private Registry<String, @Nullable Object> rooms;

  /** A chat room: answers its pid, crashes on request, forwards casts to a queue. */
  static final class Room implements Server {
    enum WhoAmI {
      INSTANCE
    }

    enum Crash {
      INSTANCE
    }

    static final LinkedBlockingQueue<Object> CASTS = new LinkedBlockingQueue<>();

    private @Nullable ServerContext context;

    @Override
    public void init(ServerContext context) {
      this.context = context;
    }

    @Override
    public void handleCall(Object request, ReplyTo replyTo) {
      ServerContext c = context;
      replyTo.reply(c == null ? null : c.self());
    }

    @Override
    public void handleCast(Object message) {
      if (message == Crash.INSTANCE) {
        throw new IllegalStateException("room crashed");
      }
      CASTS.add(message);
    }
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
    Pid lobby = GenServer.start(node, Room::new, StartOptions.named(rooms.via("room:lobby")));
    assertThat(rooms.whereis("room:lobby")).contains(lobby);
    Pid answered = GenServer.call(rooms.via("room:lobby"), Room.WhoAmI.INSTANCE);
    assertThat(answered).isSameAs(lobby);
    GenServer.cast(rooms.via("room:lobby"), "hello");
    assertThat(Room.CASTS.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
    assertThat(rooms.via("room:lobby").whereis()).isSameAs(lobby);
    assertThat(rooms.via("room:lobby")).isEqualTo(rooms.via("room:lobby"));
    assertThat(rooms.via("room:lobby")).hasToString("via(rooms, room:lobby)");
  }

  @Test
  void aViaNameWithAValue_registersThatValue() {
    Pid lobby =
        GenServer.start(node, Room::new, StartOptions.named(rooms.via("room:lobby", "topic")));
    assertThat(rooms.lookup("room:lobby")).containsExactly(new Registry.Entry<>(lobby, "topic"));
  }

  @Test
  void aSecondStartUnderATakenName_failsWithTheExistingPid() {
    Name name = rooms.via("room:lobby");
    Pid lobby = GenServer.start(node, Room::new, StartOptions.named(name));
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
    assertThatThrownBy(() -> GenServer.call(free, Room.WhoAmI.INSTANCE))
        .isInstanceOf(CallException.NoProc.class);
    GenServer.cast(free, "dropped");
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
                        new Server() {
                          @Override
                          public void init(ServerContext context) {
                            throw new IllegalStateException("no");
                          }
                        },
                    StartOptions.named(name)))
        .isInstanceOf(StartException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> rooms.lookup("room:broken").isEmpty());
    Pid room = GenServer.start(node, Room::new, StartOptions.named(name));
    assertThat(rooms.whereis("room:broken")).contains(room);
  }

  @Test
  void aCrashedRoomsNameIsFreeAgain_whenItIsNotRestarted() {
    Pid supervisor = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms-sup"));
    Name name = rooms.via("room:lobby");
    ChildSpec room =
        ChildSpec.worker("room", () -> GenServer.startLink(Room::new, StartOptions.named(name)))
            .withRestart(Restart.TEMPORARY);
    Pid first = DynamicSupervisor.startChild(supervisor, room);
    CompletableFuture<ExitReason> exit = Actor.watch(first);
    GenServer.cast(name, Room.Crash.INSTANCE);
    assertThat(Actor.await(exit)).isInstanceOf(ExitReason.Crashed.class);
    assertThat(name.whereis()).isNull();
    assertThatThrownBy(() -> GenServer.call(name, Room.WhoAmI.INSTANCE))
        .isInstanceOf(CallException.NoProc.class);
    Pid second = DynamicSupervisor.startChild(supervisor, room);
    assertThat((Pid) GenServer.call(name, Room.WhoAmI.INSTANCE)).isSameAs(second);
  }

  @Test
  void aRestartedRoom_reRegistersItsNameUnderItsNewPid() {
    Pid supervisor = DynamicSupervisor.start(node, DynamicSupervisorSpec.of("rooms-sup"));
    Name name = rooms.via("room:lobby");
    Pid first =
        DynamicSupervisor.startChild(
            supervisor,
            ChildSpec.worker(
                "room", () -> GenServer.startLink(Room::new, StartOptions.named(name))));
    GenServer.cast(name, Room.Crash.INSTANCE);
    // The restart would fail with "already started" if the name were still held by the dead pid.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> name.whereis() != null && name.whereis() != first);
    Pid second = rooms.whereis("room:lobby").orElseThrow();
    assertThat(second.isAlive()).isTrue();
    assertThat(DynamicSupervisor.whichChildren(supervisor))
        .singleElement()
        .satisfies(child -> assertThat(child.pid()).isSameAs(second));
    assertThat((Pid) GenServer.call(name, Room.WhoAmI.INSTANCE)).isSameAs(second);
    assertThat(rooms.count()).isEqualTo(1);
  }
}

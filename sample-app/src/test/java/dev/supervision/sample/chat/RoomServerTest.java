package dev.supervision.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import dev.supervision.core.balance.BalanceStrategy;
import dev.supervision.core.balance.LoadBalancers;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.process.Node;
import dev.supervision.core.server.DirectReply;
import dev.supervision.core.server.GenServer;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A room's group commit, against a writer pool whose writer the test can hold: posts taken while a
 * batch is being stored form the next batch, callers are answered only once their batch is stored,
 * in the room's order, and a failing batch answers every caller in it.
 */
final class RoomServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String ROOM = "room";

  private Node node;
  private WorkerPool<MessageWriter.Request> writers;
  /* Every batch a writer took, in order, and the messages it stored (a failed batch stores none). */
  private final BlockingQueue<List<String>> batches = new LinkedBlockingQueue<>();
  private final Queue<Message> storedByWriter = new ConcurrentLinkedQueue<>();
  private final Queue<Message> published = new ConcurrentLinkedQueue<>();
  private final AtomicLong ids = new AtomicLong();
  /* While not counted down, a writer that took a batch waits before storing it. */
  private volatile CountDownLatch gate = new CountDownLatch(0);

  /* Stores a batch unless one of its messages reads "fail": then it crashes, storing none. */
  private final class HeldWriter implements Server<MessageWriter.Request> {
    @Override
    public void handle(MessageWriter.Request request) throws InterruptedException {
      switch (request) {
        case MessageWriter.Store(var room, var messages, var replyTo) -> {
          batches.add(messages.stream().map(MessageStore.NewMessage::content).toList());
          gate.await();
          if (messages.stream().anyMatch(m -> m.content().equals("fail"))) {
            throw new IllegalStateException("a batch with 'fail' in it");
          }
          List<Message> stored = new ArrayList<>();
          for (MessageStore.NewMessage m : messages) {
            stored.add(new Message(ids.incrementAndGet(), room, m.user(), m.content(), m.sentAt()));
          }
          storedByWriter.addAll(stored);
          replyTo.reply(stored);
        }
      }
    }
  }

  @BeforeEach
  void startWriters() {
    node = Node.create("room-server-test");
    writers = LoadBalancers.pool(node, "writers", 1, HeldWriter::new, BalanceStrategy.ROUND_ROBIN);
  }

  @AfterEach
  void stop() {
    gate.countDown();
    writers.close();
    node.close();
  }

  private ServerRef<RoomServer.Message> room(int maxBatch) {
    RoomServer.Dependencies deps =
        new RoomServer.Dependencies(
            writers,
            mock(MessageRepository.class),
            published::add,
            new SimpleMeterRegistry().counter("chat.messages"),
            TIMEOUT,
            maxBatch);
    return GenServer.start(node, () -> new RoomServer(ROOM, deps));
  }

  private void holdWriters() {
    gate = new CountDownLatch(1);
  }

  private void releaseWriters() {
    gate.countDown();
  }

  /* Casts a post in order (a cast is queued when it returns); its answer lands in the result. */
  private static DirectReply<RoomServer.Posted> post(
      ServerRef<RoomServer.Message> room, String content) {
    DirectReply<RoomServer.Posted> reply = DirectReply.create();
    room.cast(new RoomServer.Post("alice", content, reply.replyTo()));
    return reply;
  }

  /* Posts "first" and waits until a writer holds it: the room now waits for that writer. */
  private DirectReply<RoomServer.Posted> firstPostHeldByTheWriter(
      ServerRef<RoomServer.Message> room) throws InterruptedException {
    holdWriters();
    DirectReply<RoomServer.Posted> first = post(room, "first");
    assertThat(batches.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).containsExactly("first");
    return first;
  }

  private static void awaitAnswered(List<DirectReply<RoomServer.Posted>> replies) {
    await().atMost(TIMEOUT).until(() -> replies.stream().allMatch(DirectReply::isAnswered));
  }

  private static Message stored(DirectReply<RoomServer.Posted> reply) {
    return stored(reply.value());
  }

  private static Message stored(RoomServer.Posted posted) {
    return switch (posted) {
      case RoomServer.Stored s -> s.message();
      case RoomServer.NotStored n -> throw new AssertionError("not stored: " + n.reason());
    };
  }

  @Nested
  class Post {

    @Test
    void postsTakenWhileABatchIsStoredAreStoredTogetherInTheNextBatch() throws Exception {
      ServerRef<RoomServer.Message> room = room(RoomServer.MAX_BATCH);
      List<DirectReply<RoomServer.Posted>> replies = new ArrayList<>();
      replies.add(firstPostHeldByTheWriter(room));
      for (int i = 0; i < 9; i++) {
        replies.add(post(room, "m" + i));
      }

      releaseWriters();

      awaitAnswered(replies);
      assertThat(batches.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8");
      assertThat(batches).isEmpty();
    }

    @Test
    void noCallerIsAnsweredBeforeItsBatchIsStored() throws Exception {
      ServerRef<RoomServer.Message> room = room(RoomServer.MAX_BATCH);
      List<DirectReply<RoomServer.Posted>> replies = new ArrayList<>();
      replies.add(firstPostHeldByTheWriter(room));
      replies.add(post(room, "second"));

      assertThat(replies).noneMatch(DirectReply::isAnswered);
      assertThat(published).isEmpty();

      releaseWriters();

      awaitAnswered(replies);
      for (DirectReply<RoomServer.Posted> reply : replies) {
        assertThat(storedByWriter).contains(stored(reply));
      }
    }

    @Test
    void messagesArePublishedAndAnsweredInTheOrderTheRoomTookThemWithAscendingIds()
        throws Exception {
      ServerRef<RoomServer.Message> room = room(RoomServer.MAX_BATCH);
      List<DirectReply<RoomServer.Posted>> replies = new ArrayList<>();
      List<String> sent = new ArrayList<>(List.of("first"));
      replies.add(firstPostHeldByTheWriter(room));
      for (int i = 0; i < 20; i++) {
        sent.add("m" + i);
        replies.add(post(room, "m" + i));
      }

      releaseWriters();

      awaitAnswered(replies);
      List<Message> answered = new ArrayList<>();
      for (DirectReply<RoomServer.Posted> reply : replies) {
        answered.add(stored(reply));
      }
      assertThat(answered).extracting(Message::content).containsExactlyElementsOf(sent);
      assertThat(answered).extracting(Message::id).isSorted().doesNotHaveDuplicates();
      assertThat(published).containsExactlyElementsOf(answered);
    }

    @Test
    void aFullBatchIsStoredWithoutWaitingForTheMailboxToEmpty() throws Exception {
      ServerRef<RoomServer.Message> room = room(3);
      List<DirectReply<RoomServer.Posted>> replies = new ArrayList<>();
      replies.add(firstPostHeldByTheWriter(room));
      for (int i = 0; i < 7; i++) {
        replies.add(post(room, "m" + i));
      }

      releaseWriters();

      awaitAnswered(replies);
      List<List<String>> rest = new ArrayList<>();
      batches.drainTo(rest);
      assertThat(rest)
          .containsExactly(List.of("m0", "m1", "m2"), List.of("m3", "m4", "m5"), List.of("m6"));
    }

    @Test
    void aFailingBatchAnswersEveryCallerInItThatNothingWasStoredAndTheRoomGoesOn()
        throws Exception {
      ServerRef<RoomServer.Message> room = room(RoomServer.MAX_BATCH);
      DirectReply<RoomServer.Posted> first = firstPostHeldByTheWriter(room);
      List<DirectReply<RoomServer.Posted>> failing =
          List.of(post(room, "a"), post(room, "fail"), post(room, "b"));

      releaseWriters();

      awaitAnswered(failing);
      assertThat(failing)
          .extracting(DirectReply::value)
          .allMatch(RoomServer.NotStored.class::isInstance);
      assertThat(storedByWriter).extracting(Message::content).containsExactly("first");
      assertThat(published).containsExactly(stored(first));
      DirectReply<RoomServer.Posted> after = post(room, "after");
      awaitAnswered(List.of(after));
      assertThat(stored(after).content()).isEqualTo("after");
      assertThat(room.call(RoomServer.Count::new, TIMEOUT)).isEqualTo(2L);
    }

    @Test
    void concurrentCallersEachGetTheirOwnMessageStoredAndSocketsSeeIdsInOrder() throws Exception {
      ServerRef<RoomServer.Message> room = room(RoomServer.MAX_BATCH);
      int callers = 16;
      int posts = 40;
      List<Future<List<Message>>> results = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int c = 0; c < callers; c++) {
          String caller = "c" + c;
          results.add(
              pool.submit(
                  () -> {
                    List<Message> mine = new ArrayList<>();
                    for (int i = 0; i < posts; i++) {
                      String content = caller + "-" + i;
                      RoomServer.Posted posted =
                          room.call(r -> new RoomServer.Post(caller, content, r), TIMEOUT);
                      Message message = stored(posted);
                      assertThat(message.content()).isEqualTo(content);
                      mine.add(message);
                    }
                    return mine;
                  }));
        }
      }

      List<Message> all = new ArrayList<>();
      for (Future<List<Message>> result : results) {
        List<Message> mine = result.get();
        assertThat(mine).extracting(Message::id).isSorted();
        all.addAll(mine);
      }
      assertThat(all).hasSize(callers * posts).doesNotHaveDuplicates();
      assertThat(published).hasSize(callers * posts);
      assertThat(published).extracting(Message::id).isSorted();
      assertThat(room.call(RoomServer.Count::new, TIMEOUT)).isEqualTo((long) callers * posts);
    }
  }

  @Nested
  class Count {

    @Test
    void countsThePostsTakenBeforeItOnceTheyAreStored() throws Exception {
      ServerRef<RoomServer.Message> room = room(RoomServer.MAX_BATCH);
      List<DirectReply<RoomServer.Posted>> replies = new ArrayList<>();
      replies.add(firstPostHeldByTheWriter(room));
      replies.add(post(room, "second"));
      replies.add(post(room, "third"));
      DirectReply<Long> count = DirectReply.create();
      room.cast(new RoomServer.Count(count.replyTo()));

      releaseWriters();

      await().atMost(TIMEOUT).until(count::isAnswered);
      assertThat(count.value()).isEqualTo(3L);
      assertThat(replies).allMatch(DirectReply::isAnswered);
    }
  }
}

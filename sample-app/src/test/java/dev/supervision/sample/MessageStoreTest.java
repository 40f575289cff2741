package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervision.sample.chat.Message;
import dev.supervision.sample.chat.MessageStore;
import dev.supervision.sample.chat.MessageStore.NewMessage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A room's batch is stored in one transaction: all of it, in order, or none of it. */
@SampleAppTest
final class MessageStoreTest {
  @Autowired MessageStore store;
  @Autowired JdbcClient jdbc;

  private long rows(String room) {
    return jdbc.sql("select count(*) from chat_messages where room = ?")
        .param(room)
        .query(Long.class)
        .single();
  }

  @Nested
  final class StoreAll {
    @Test
    void storesEveryMessageInTheBatchsOrderWithAscendingIds() {
      String room = Api.unique("batch");
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      List<NewMessage> batch =
          List.of(
              new NewMessage("alice", "one", now),
              new NewMessage("bob", "two", now),
              new NewMessage("alice", "three", now));

      List<Message> stored = store.storeAll(room, batch);

      assertThat(stored).extracting(Message::content).containsExactly("one", "two", "three");
      assertThat(stored).extracting(Message::user).containsExactly("alice", "bob", "alice");
      assertThat(stored).extracting(Message::id).isSorted().doesNotHaveDuplicates();
      assertThat(rows(room)).isEqualTo(3);
    }

    @Test
    void aBatchWithOneMessageTheDatabaseRefusesStoresNoneOfIt() {
      String room = Api.unique("batch");
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      List<NewMessage> batch =
          List.of(
              new NewMessage("alice", "stored first, then rolled back", now),
              new NewMessage("x".repeat(33), "a user name longer than its column", now),
              new NewMessage("alice", "never inserted", now));

      assertThatThrownBy(() -> store.storeAll(room, batch)).isInstanceOf(DataAccessException.class);

      assertThat(rows(room)).isZero();
    }
  }
}

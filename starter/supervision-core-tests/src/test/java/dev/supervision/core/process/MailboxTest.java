package dev.supervision.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.internal.Spin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

final class MailboxTest {

  @Nested
  final class SingleThread {

    @Test
    void pollReturnsMessagesInOfferOrderThenNull() {
      Mailbox mailbox = new Mailbox();

      mailbox.offer("a");
      mailbox.offer("b");
      assertThat(mailbox.size()).isEqualTo(2);

      assertThat(mailbox.poll()).isEqualTo("a");
      assertThat(mailbox.pollExact()).isEqualTo("b");
      assertThat(mailbox.poll()).isNull();
      assertThat(mailbox.pollExact()).isNull();
      assertThat(mailbox.size()).isZero();
    }

    @Test
    void theSizeCountsWhatIsLeftWhileTheConsumerIsMidway() {
      Mailbox mailbox = new Mailbox();
      for (int i = 0; i < 1000; i++) {
        mailbox.offer(i);
      }
      for (int i = 0; i < 700; i++) {
        assertThat(mailbox.poll()).isEqualTo(i);
      }

      assertThat(mailbox.size()).isEqualTo(300);

      for (int i = 700; i < 1000; i++) {
        assertThat(mailbox.poll()).isEqualTo(i);
      }
      assertThat(mailbox.poll()).isNull();
      assertThat(mailbox.size()).isZero();
    }

    @Test
    void aSenderWakesTheConsumerOnlyOnceItHasAnnouncedSleepAndOnlyOneSenderDoes() {
      Mailbox mailbox = new Mailbox();
      assertThat(mailbox.offer("busy") & Spin.Delivery.WOKE).as("the consumer is awake").isZero();
      assertThat(mailbox.poll()).isEqualTo("busy");

      assertThat(mailbox.prepareToSleep()).isTrue();
      assertThat(mailbox.offer("first") & Spin.Delivery.WOKE)
          .as("the first sender wakes it")
          .isNotZero();
      assertThat(mailbox.offer("second") & Spin.Delivery.WOKE)
          .as("the flag is already cleared")
          .isZero();
    }

    @Test
    void aSenderLearnsWhetherMessagesWereWaitingAheadOfItsOwn() {
      Mailbox mailbox = new Mailbox();
      assertThat(mailbox.offer("a") & Spin.Delivery.BEHIND).as("empty mailbox").isZero();
      assertThat(mailbox.offer("b") & Spin.Delivery.BEHIND).as("a is waiting").isNotZero();
      assertThat(mailbox.poll()).isEqualTo("a");
      assertThat(mailbox.offer("c") & Spin.Delivery.BEHIND).as("b is waiting").isNotZero();
      assertThat(mailbox.poll()).isEqualTo("b");
      assertThat(mailbox.poll()).isEqualTo("c");
      assertThat(mailbox.offer("d") & Spin.Delivery.BEHIND).as("all taken").isZero();
    }

    @Test
    void theConsumerMayNotSleepWhenAMessageCameAfterItsLastPoll() {
      Mailbox mailbox = new Mailbox();
      mailbox.offer("late");

      assertThat(mailbox.prepareToSleep()).isFalse();
      assertThat(mailbox.offer("later") & Spin.Delivery.WOKE)
          .as("nobody to wake: it did not sleep")
          .isZero();
      assertThat(mailbox.poll()).isEqualTo("late");
      assertThat(mailbox.poll()).isEqualTo("later");
      assertThat(mailbox.prepareToSleep()).isTrue();
    }

    @Test
    void aConsumerWokenByAnythingElseIsNotWokenAgainBySenders() {
      Mailbox mailbox = new Mailbox();
      assertThat(mailbox.prepareToSleep()).isTrue();

      mailbox.awake(); // a timeout or an exit signal ended the park

      assertThat(mailbox.offer("m") & Spin.Delivery.WOKE).isZero();
    }
  }

  @Nested
  final class ManySenders {
    private static final int SENDERS = 8;
    private static final int PER_SENDER = 50_000;

    /*
     * The receiver parks between messages, so a lost wake-up leaves it parked for good with
     * messages waiting: the test then fails on its timeout instead of passing.
     */
    @RepeatedTest(3)
    void aProcessReceivesEveryMessageOfConcurrentSendersInEachSendersOrder() throws Exception {
      Node node = Node.create("mailbox-test");
      try (node) {
        CompletableFuture<String> verdict = new CompletableFuture<>();
        Pid receiver =
            node.spawn(
                self -> {
                  int[] next = new int[SENDERS];
                  for (int i = 0; i < SENDERS * PER_SENDER; i++) {
                    int[] message = (int[]) self.receive();
                    if (message[1] != next[message[0]]++) {
                      verdict.complete("sender " + message[0] + " out of order at " + message[1]);
                      return;
                    }
                  }
                  verdict.complete("all received");
                });
        CyclicBarrier start = new CyclicBarrier(SENDERS);
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
          int sender = s;
          senders.add(
              Thread.ofPlatform()
                  .start(
                      () -> {
                        try {
                          start.await();
                        } catch (Exception e) {
                          throw new IllegalStateException(e);
                        }
                        for (int i = 0; i < PER_SENDER; i++) {
                          receiver.send(new int[] {sender, i});
                        }
                      }));
        }
        for (Thread sender : senders) {
          sender.join();
        }

        assertThat(verdict.get(30, TimeUnit.SECONDS)).isEqualTo("all received");
        assertThat(receiver.mailboxDepth()).isZero();
      }
      assertThat(node.processCount()).isZero();
    }
  }
}

package dev.supervision.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

final class DeadlinesTest {

  /* Parks (untimed) until the deadline has passed, as the runtime's waits do; returns when woken. */
  private static Thread sleeper(long deadline, Runnable woken) {
    return sleeper(deadline, () -> {}, woken);
  }

  private static Thread sleeper(long deadline, Runnable armed, Runnable woken) {
    return Thread.ofVirtual()
        .start(
            () -> {
              Deadlines.Timeout t = Deadlines.arm(deadline);
              armed.run();
              try {
                while (System.nanoTime() - deadline < 0
                    && !Thread.currentThread().isInterrupted()) {
                  LockSupport.park();
                }
              } finally {
                t.disarm();
              }
              woken.run();
            });
  }

  @Test
  void aThreadParkedWithoutTimeoutIsWokenAtItsDeadline() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    Thread t = sleeper(deadline, () -> {});

    assertThat(t.join(Duration.ofSeconds(5))).isTrue();
    assertThat(System.nanoTime() - deadline).isNotNegative();
  }

  @Test
  void deadlinesFireInTheirOrderNotInTheOrderTheyWereArmed() throws InterruptedException {
    // The three must all be armed before the first deadline passes, and each woken thread must
    // run before the next deadline: on a loaded machine the spacing doubles until both hold.
    for (long spacing = 200; ; spacing *= 2) {
      long now = System.nanoTime();
      long step = TimeUnit.MILLISECONDS.toNanos(spacing);
      List<Integer> order = new CopyOnWriteArrayList<>();
      CountDownLatch armed = new CountDownLatch(3);
      Thread third = sleeper(now + 3 * step, armed::countDown, () -> order.add(3));
      Thread first = sleeper(now + step, armed::countDown, () -> order.add(1));
      Thread second = sleeper(now + 2 * step, armed::countDown, () -> order.add(2));
      armed.await();
      boolean armedInTime = System.nanoTime() - now < step / 2;

      for (Thread t : List.of(first, second, third)) {
        assertThat(t.join(Duration.ofSeconds(30))).isTrue();
      }
      if (armedInTime && order.equals(List.of(1, 2, 3)) || spacing >= 3_200) {
        assertThat(order).containsExactly(1, 2, 3);
        return;
      }
    }
  }

  @Test
  void aNearDeadlineArmedWhileTheTimerWaitsForAFarOneIsNotKeptWaitingForIt()
      throws InterruptedException {
    long now = System.nanoTime();
    Thread far = sleeper(now + TimeUnit.SECONDS.toNanos(30), () -> {});
    await().atMost(Duration.ofSeconds(5)).until(Deadlines::isRunning);

    long near = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    Thread t = sleeper(near, () -> {});

    // The timer sleeps at most a second at a time: a wake-up well before that was for `near`.
    assertThat(t.join(Duration.ofMillis(800))).isTrue();
    assertThat(far.isAlive()).as("still waiting for its own deadline").isTrue();
    far.interrupt();
    assertThat(far.join(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void theTimerThreadEndsOnceNothingIsPending() throws InterruptedException {
    Thread t = sleeper(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10), () -> {});
    assertThat(t.join(Duration.ofSeconds(5))).isTrue();

    await().atMost(Duration.ofSeconds(10)).until(() -> !Deadlines.isRunning());
  }

  @Test
  void aDisarmedDeadlineIsDroppedAndLaterOnesStillFire() throws InterruptedException {
    Deadlines.Timeout dropped = Deadlines.arm(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
    dropped.disarm();

    Thread t = sleeper(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30), () -> {});

    assertThat(t.join(Duration.ofSeconds(5))).isTrue();
  }
}

package dev.supervision.core.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

final class EpochTest {

  private static Epoch empty() {
    return new Epoch(Member.NONE);
  }

  @Test
  void theIndexOfACursorValueIsItsRemainderModuloTheMemberCount() {
    Random random = new Random(42);
    for (int n = 1; n <= 1000; n++) {
      long magic = Epoch.magic(n);
      for (long c : new long[] {0, 1, n - 1L, n, n + 1L, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE}) {
        assertThat(Epoch.index(c, n, magic)).as("%d mod %d", c, n).isEqualTo((int) (c % n));
      }
      for (int i = 0; i < 1000; i++) {
        long c = random.nextLong() >>> (random.nextBoolean() ? 31 : 1);
        assertThat(Epoch.index(c, n, magic)).as("%d mod %d", c, n).isEqualTo((int) (c % n));
      }
    }
  }

  @Test
  void hitsSplitTheTakenValuesAsRoundRobinDid() {
    assertThat(Epoch.hits(10, 3, 0)).isEqualTo(4);
    assertThat(Epoch.hits(10, 3, 1)).isEqualTo(3);
    assertThat(Epoch.hits(10, 3, 2)).isEqualTo(3);
    assertThat(Epoch.hits(0, 3, 0)).isZero();
  }

  @Test
  void aSealedEpochHandsOutNegativeValuesAndReportsWhatWasTaken() {
    Epoch epoch = empty();
    epoch.next();
    epoch.next();
    epoch.next();

    assertThat(epoch.seal()).isEqualTo(3);
    assertThat(epoch.next()).isNegative();
    assertThat(epoch.taken()).isZero();
  }
}

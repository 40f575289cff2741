package dev.supervision.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ProbeTest {
  @Test
  void runs() {
    assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);
  }

  @Property(tries = 10)
  boolean jq(@ForAll int x) {
    return Math.abs((long) x) >= 0;
  }
}

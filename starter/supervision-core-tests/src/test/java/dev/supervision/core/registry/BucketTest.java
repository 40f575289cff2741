package dev.supervision.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.core.process.Node;
import dev.supervision.core.process.Pid;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The entries of one duplicate key, small (copy-on-write array) and large (map by pid). */
final class BucketTest {
  private Node node;

  @BeforeEach
  void createNode() {
    node = Node.create("bucket");
  }

  @AfterEach
  void closeNode() {
    node.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, Bucket.SMALL_MAX, Bucket.SMALL_MAX + 1, 100})
  void everyRemovalIsCounted_smallOrLarge(int size) {
    Pid a = Actor.start(node);
    Pid b = Actor.start(node);
    List<Registry.Entry<?>> entries = new ArrayList<>();
    Bucket bucket = null;
    for (int i = 0; i < size; i++) {
      Registry.Entry<?> e = new Registry.Entry<>(i % 2 == 0 ? a : b, i);
      entries.add(e);
      bucket = bucket == null ? Bucket.of(e) : bucket.add(e);
    }
    assertThat(Bucket.live(bucket)).containsExactlyInAnyOrderElementsOf(entries);
    int[] removed = new int[1];
    bucket = bucket.removeEntry(entries.get(0), removed);
    assertThat(removed[0]).isEqualTo(1);
    bucket = bucket == null ? null : bucket.removeEntry(entries.get(0), removed);
    assertThat(removed[0]).as("removing it again removes nothing").isEqualTo(1);
    if (bucket != null) {
      bucket = bucket.remove(a, e -> true, removed);
    }
    if (bucket != null) {
      bucket = bucket.remove(b, e -> true, removed);
    }
    assertThat(removed[0]).isEqualTo(size);
    assertThat(bucket).isNull();
  }
}

package dev.supervision.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit Jupiter test class (or method) whose tests each get a fresh {@link
 * dev.supervision.core.process.Node} as a parameter, closed after the test, and fail if they leave
 * processes running on it: a shorthand for {@code @ExtendWith(NodeExtension.class)}; see {@link
 * NodeExtension}.
 *
 * {@snippet :
 * @SupervisionTest
 * final class CounterTest {
 *   @Test
 *   void answersCalls(Node node) {
 *     ServerRef<Counter.Message> counter = GenServer.start(node, Counter::new);
 *     assertThat(counter.call(Counter.Get::new)).isZero();
 *     counter.stop();
 *   }
 * }
 * }
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(NodeExtension.class)
public @interface SupervisionTest {}

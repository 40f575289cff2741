package dev.supervision.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Selects a load balancer declared under {@code supervision.load-balancers} by its name.
 *
 * {@snippet :
 * @Service
 * class Messages {
 *   private final LoadBalancer<MessageWriter.Request> writers;
 *
 *   Messages(@LoadBalancerNamed("writers") LoadBalancer<MessageWriter.Request> writers) {
 *     this.writers = writers;
 *   }
 * }
 * }
 *
 * <p>Each load balancer is a bean of type {@link dev.supervision.core.balance.WorkerPool} (a pool
 * of workers) or {@link dev.supervision.core.balance.LoadBalancer} (over a registry key), qualified
 * by this annotation with its name. The protocol {@code M} of the injection point is the one the
 * workers speak: Spring cannot check it. Its bean name, {@code supervision.load-balancer.<name>},
 * is in a namespace of its own, so a load balancer never takes the name of an application bean.
 */
@Target({
  ElementType.FIELD,
  ElementType.METHOD,
  ElementType.PARAMETER,
  ElementType.TYPE,
  ElementType.ANNOTATION_TYPE
})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface LoadBalancerNamed {

  /** The load balancer's name. */
  String value();
}

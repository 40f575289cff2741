package dev.supervision.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Selects a registry declared under {@code supervision.registries} by its name.
 *
 * {@snippet :
 * @Service
 * class Rooms {
 *   private final Registry<String, Object> names;
 *
 *   Rooms(@RegistryNamed("room-names") Registry<String, Object> names) {
 *     this.names = names;
 *   }
 * }
 * }
 *
 * <p>Each registry is a bean of type {@link dev.supervision.core.registry.Registry} qualified by
 * this annotation with its name. Its bean name, {@code supervision.registry.<name>}, is in a
 * namespace of its own, so a registry never takes the name of an application bean or of a
 * supervisor or load balancer with the same name.
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
public @interface RegistryNamed {

  /** The registry's name. */
  String value();
}

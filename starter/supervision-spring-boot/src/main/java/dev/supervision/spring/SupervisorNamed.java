package dev.supervision.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Selects the handle on a supervisor of the application's tree by the supervisor's name: the root's
 * ({@code supervision.root.name}) or a key of {@code supervision.supervisors}.
 *
 * {@snippet :
 * @Service
 * class Rooms {
 *   private final DynamicSupervisorRef rooms;
 *
 *   Rooms(@SupervisorNamed("rooms") DynamicSupervisorRef rooms) {
 *     this.rooms = rooms;
 *   }
 * }
 * }
 *
 * <p>Each supervisor is a bean of type {@link dev.supervision.core.supervisor.SupervisorRef} (a
 * static supervisor, the root included) or {@link
 * dev.supervision.core.supervisor.DynamicSupervisorRef} (a dynamic one), qualified by this
 * annotation with its name. Its bean name, {@code supervision.supervisor.<name>}, is in a namespace
 * of its own, so a supervisor never takes the name of an application bean: a supervisor {@code
 * rooms} and a {@code @Service class Rooms} live side by side. A plain {@code @Qualifier("rooms")}
 * does not select the supervisor.
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
public @interface SupervisorNamed {

  /** The supervisor's name. */
  String value();
}

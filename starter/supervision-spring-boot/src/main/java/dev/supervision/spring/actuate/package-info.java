/**
 * Actuator support: the {@code supervision} health contributor and the {@code supervisors}
 * endpoint.
 */
@NullMarked
package dev.supervision.spring.actuate;

import org.jspecify.annotations.NullMarked;

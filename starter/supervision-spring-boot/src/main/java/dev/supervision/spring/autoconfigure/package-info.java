/**
 * Auto-configuration of the supervision tree from {@code supervision.*} properties and supervised
 * beans.
 */
@NullMarked
package dev.supervision.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;

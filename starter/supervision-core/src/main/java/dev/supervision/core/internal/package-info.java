/**
 * Machinery shared by the runtime's packages. Not part of the API: nothing here is stable, and
 * nothing outside {@code supervision-core} may use it.
 */
@NullMarked
package dev.supervision.core.internal;

import org.jspecify.annotations.NullMarked;

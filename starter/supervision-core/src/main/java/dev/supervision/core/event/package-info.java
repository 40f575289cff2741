/** Events the runtime publishes about supervisors, children and registries, and their listeners. */
@NullMarked
package dev.supervision.core.event;

import org.jspecify.annotations.NullMarked;

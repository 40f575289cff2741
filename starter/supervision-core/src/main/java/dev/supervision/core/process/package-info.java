/** Processes: identifiers, exit reasons, links and monitors. */
@NullMarked
package dev.supervision.core.process;

import org.jspecify.annotations.NullMarked;

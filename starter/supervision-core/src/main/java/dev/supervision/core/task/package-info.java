/**
 * Task supervisors (Elixir's Task.Supervisor): one-off work run in supervised processes, isolated
 * from the caller, with results awaited under a timeout.
 */
@NullMarked
package dev.supervision.core.task;

import org.jspecify.annotations.NullMarked;

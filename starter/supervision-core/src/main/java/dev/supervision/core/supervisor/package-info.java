/**
 * Supervisors (OTP's supervisor and Elixir's DynamicSupervisor): processes that start children,
 * watch them and restart them by strategy, within a restart intensity.
 */
@NullMarked
package dev.supervision.core.supervisor;

import org.jspecify.annotations.NullMarked;

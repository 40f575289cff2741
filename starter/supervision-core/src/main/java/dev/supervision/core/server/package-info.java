/**
 * Servers (OTP's GenServer): processes that hold state and answer calls, casts and other messages
 * one at a time.
 */
@NullMarked
package dev.supervision.core.server;

import org.jspecify.annotations.NullMarked;

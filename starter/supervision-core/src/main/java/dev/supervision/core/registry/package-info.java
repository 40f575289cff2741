/**
 * Process registries (Elixir's {@code Registry}): unique or duplicate keys mapping to live
 * processes, cleaned up when a process exits, with "via" names for servers.
 */
@NullMarked
package dev.supervision.core.registry;

import org.jspecify.annotations.NullMarked;

/**
 * Load balancers: spread calls and casts over a pool of supervised workers or over the processes
 * registered under a registry key, skipping workers that are down or restarting.
 */
@NullMarked
package dev.supervision.core.balance;

import org.jspecify.annotations.NullMarked;

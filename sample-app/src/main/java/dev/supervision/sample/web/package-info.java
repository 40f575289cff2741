/**
 * HTTP and WebSocket: the JSON API, RFC 9457 problem details for every error, request size limits,
 * security of the admin operations, and the room sockets.
 */
@NullMarked
package dev.supervision.sample.web;

import org.jspecify.annotations.NullMarked;

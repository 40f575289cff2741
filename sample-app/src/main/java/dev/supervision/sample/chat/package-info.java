/**
 * The chat: users, rooms and messages. Rooms are servers under the {@code rooms} dynamic
 * supervisor, the user manager is a static child, and the {@code message-writers} pool stores
 * messages durably; what must survive a crash lives in the database and is reloaded in {@code
 * init}.
 */
@NullMarked
package dev.supervision.sample.chat;

import org.jspecify.annotations.NullMarked;

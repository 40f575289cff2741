package dev.supervision.sample.web;

import org.jspecify.annotations.Nullable;

/** The JSON bodies the API accepts; unknown fields are refused. */
final class ApiRequests {
  private ApiRequests() {}

  /** {@code POST /api/users}. */
  record NewUser(@Nullable String username) {}

  /** {@code POST /api/rooms}. */
  record NewRoom(@Nullable String name) {}

  /** {@code POST /api/rooms/{room}/messages}. */
  record NewMessage(@Nullable String user, @Nullable String content) {}
}

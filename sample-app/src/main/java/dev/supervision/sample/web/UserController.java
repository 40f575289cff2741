package dev.supervision.sample.web;

import dev.supervision.sample.ApiException;
import dev.supervision.sample.chat.User;
import dev.supervision.sample.chat.Users;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** {@code /api/users}: registering and finding users. */
@RestController
@RequestMapping("/api/users")
class UserController {
  private final Users users;

  UserController(Users users) {
    this.users = users;
  }

  /** 201 with the user; 400 for an invalid name; 409 if taken. */
  @PostMapping
  ResponseEntity<User> register(@RequestBody ApiRequests.@Nullable NewUser body) {
    if (body == null) {
      throw ApiException.badRequest("a JSON body {\"username\": ...} is required");
    }
    User user = users.register(body.username());
    return ResponseEntity.created(
            URI.create("/api/users/" + UriUtils.encodePathSegment(user.username(), "UTF-8")))
        .body(user);
  }

  /** 200 with the user; 404 if there is none. */
  @GetMapping("/{username}")
  User get(@PathVariable String username) {
    return users.get(username);
  }
}

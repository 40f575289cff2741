package dev.supervision.sample.chat;

import dev.supervision.core.process.Pid;
import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.CallException;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.ServerRef;
import dev.supervision.sample.ApiException;
import dev.supervision.sample.ChatProperties;
import dev.supervision.sample.Names;
import dev.supervision.spring.RegistryNamed;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Registering and finding users, through the user manager ({@link UserDirectory}). */
@Service
public final class Users {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  private final Registry<String, @Nullable Object> services;
  private final Duration restartWait;

  Users(
      @RegistryNamed("services") Registry<String, @Nullable Object> services,
      ChatProperties properties) {
    this.services = services;
    this.restartWait = properties.restartWait();
  }

  /**
   * Registers {@code username}.
   *
   * @throws ApiException.BadRequest if the name breaks the rule ({@link Names})
   * @throws ApiException.Conflict if it is taken
   */
  public User register(@Nullable String username) {
    String name = Names.require("username", username);
    UserDirectory.Registration registration =
        call(replyTo -> new UserDirectory.Register(name, replyTo));
    return switch (registration) {
      case UserDirectory.Registered r -> r.user();
      case UserDirectory.Taken t -> throw ApiException.conflict("user", name);
    };
  }

  /**
   * The user named {@code username}.
   *
   * @throws ApiException.NotFound if there is none
   */
  public User get(String username) {
    User user = find(username);
    if (user == null) {
      throw ApiException.notFound("user", username);
    }
    return user;
  }

  /** The user named {@code username}, or {@code null}. */
  public @Nullable User find(String username) {
    if (!Names.isValid(username)) {
      return null;
    }
    return this.<@Nullable User>call(replyTo -> new UserDirectory.Lookup(username, replyTo));
  }

  /*
   * Calls the user manager; if it is being restarted (no process, or it exited before answering,
   * which it only does between messages), waits for its next instance and calls that once.
   */
  private <R extends @Nullable Object> R call(
      Function<? super ReplyTo<R>, ? extends UserDirectory.Message> request) {
    try {
      return ServerRef.<UserDirectory.Message>of(services.via(UserDirectory.NAME))
          .call(request, CALL_TIMEOUT);
    } catch (CallException.NoProc | CallException.ServerExited e) {
      Pid next = services.awaitWhereis(UserDirectory.NAME, restartWait).orElse(null);
      if (next == null) {
        throw ApiException.unavailable("the user manager is not running");
      }
      try {
        return ServerRef.<UserDirectory.Message>of(next).call(request, CALL_TIMEOUT);
      } catch (CallException again) {
        throw ApiException.unavailable("the user manager did not answer: " + again.getMessage());
      }
    } catch (CallException e) {
      throw ApiException.unavailable("the user manager did not answer: " + e.getMessage());
    }
  }
}

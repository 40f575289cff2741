package dev.supervision.sample.chat;

import dev.supervision.core.registry.Registry;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.spring.RegistryNamed;
import dev.supervision.spring.SupervisedChild;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * The user manager: one server, a static child of the root supervisor, that owns the set of
 * usernames. Registrations go through it one at a time, so a name is never given twice; it loads
 * the users from the database in {@code init}, so a restart loses nothing. It registers itself in
 * the {@code services} registry under {@value #NAME}.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@SupervisedChild(id = UserDirectory.NAME)
final class UserDirectory implements Server<UserDirectory.Message> {
  /** The user manager's child id and registered name. */
  static final String NAME = "user-manager";

  /** The messages of the user manager. */
  sealed interface Message {}

  /** Registers a user (a call). */
  record Register(String username, ReplyTo<Registration> replyTo) implements Message {}

  /** Finds a user (a call); the reply is {@code null} if there is none. */
  record Lookup(String username, ReplyTo<@Nullable User> replyTo) implements Message {}

  /** The answer to {@link Register}. */
  sealed interface Registration {}

  /** The user was registered. */
  record Registered(User user) implements Registration {}

  /** The name was taken. */
  enum Taken implements Registration {
    INSTANCE
  }

  private final UserRepository repository;
  private final Registry<String, @Nullable Object> services;
  private final Map<String, User> users = new HashMap<>();

  UserDirectory(
      UserRepository repository,
      @RegistryNamed("services") Registry<String, @Nullable Object> services) {
    this.repository = repository;
    this.services = services;
  }

  @Override
  public void init(ServerContext<Message> context) {
    services.register(NAME, null);
    for (UserEntity user : repository.findAll()) {
      users.put(user.username(), user.toUser());
    }
  }

  @Override
  public void handle(Message message) {
    switch (message) {
      case Register(var username, var replyTo) -> replyTo.reply(register(username));
      case Lookup(var username, var replyTo) -> replyTo.reply(users.get(username));
    }
  }

  private Registration register(String username) {
    if (users.containsKey(username)) {
      return Taken.INSTANCE;
    }
    UserEntity entity = new UserEntity(username, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    try {
      repository.save(entity);
    } catch (DataIntegrityViolationException e) {
      return Taken.INSTANCE; // registered by another instance of the application on the same DB
    }
    User user = entity.toUser();
    users.put(username, user);
    return new Registered(user);
  }
}

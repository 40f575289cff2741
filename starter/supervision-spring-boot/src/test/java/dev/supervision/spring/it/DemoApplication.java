package dev.supervision.spring.it;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.spring.SupervisedChild;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;

/* A tiny application with one supervised bean that crashes on demand. */
@SpringBootApplication
class DemoApplication {

  /* Answers Ping with "pong"; a Crash cast makes it throw. */
  static final class Greeter implements Server<Greeter.Message> {
    sealed interface Message {}

    record Ping(ReplyTo<String> replyTo) implements Message {}

    enum Crash implements Message {
      INSTANCE
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Ping(var replyTo) -> replyTo.reply("pong");
        case Crash crash -> throw new IllegalStateException("crash requested");
      }
    }
  }

  @Bean
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  @SupervisedChild(supervisor = "workers", id = "greeter")
  Greeter greeter() {
    return new Greeter();
  }
}

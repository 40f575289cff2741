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

  enum Crash {
    INSTANCE
  }

  enum Ping {
    INSTANCE
  }

  static final class Greeter implements Server {
    @Override
    public void handleCall(Object request, ReplyTo replyTo) {
      replyTo.reply("pong");
    }

    @Override
    public void handleCast(Object message) {
      if (message == Crash.INSTANCE) {
        throw new IllegalStateException("crash requested");
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

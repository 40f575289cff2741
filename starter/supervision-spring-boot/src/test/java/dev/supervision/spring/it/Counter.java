package dev.supervision.spring.it;

import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.spring.SupervisedChild;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/*
 * A component-scanned supervised child with an injected dependency, started after the greeter:
 * Next answers the count after incrementing it.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
@SupervisedChild(supervisor = "workers", id = "counter", order = 1, shutdown = "brutal-kill")
class Counter implements Server<Counter.Message> {
  sealed interface Message {}

  record Next(ReplyTo<Long> replyTo) implements Message {}

  private final Environment environment;
  private long count;

  Counter(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void init(ServerContext<Message> context) {
    count = environment.getProperty("demo.counter.start", Long.class, 0L);
  }

  @Override
  public void handle(Message message) {
    switch (message) {
      case Next(var replyTo) -> replyTo.reply(++count);
    }
  }
}

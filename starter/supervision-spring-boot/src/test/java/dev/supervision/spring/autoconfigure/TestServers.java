package dev.supervision.spring.autoconfigure;

import dev.supervision.core.process.ExitReason;
import dev.supervision.core.server.ReplyTo;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerContext;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.spring.SupervisedChild;
import dev.supervision.spring.SupervisedChildSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/* Servers and configurations shared by the auto-configuration tests. */
final class TestServers {
  private TestServers() {}

  /* Records starts and stops in order, so tests can check the tree's start and stop order. */
  static final class Journal {
    final List<String> entries = new CopyOnWriteArrayList<>();
    final AtomicInteger instances = new AtomicInteger();
  }

  /*
   * A server that records its life in the injected journal; Get answers which instance it is (1
   * for the first made from the journal, and so on), a Crash cast makes it throw.
   */
  static class Recording implements Server<Recording.Message> {
    sealed interface Message {}

    record Get(ReplyTo<Integer> replyTo) implements Recording.Message {}

    enum Crash implements Recording.Message {
      INSTANCE
    }

    private final Journal journal;
    private final String name;
    private final int instance;

    Recording(Journal journal, String name) {
      this.journal = journal;
      this.name = name;
      this.instance = journal.instances.incrementAndGet();
    }

    @Override
    public void init(ServerContext<Recording.Message> context) {
      context.process().trapExits(true);
      journal.entries.add("start " + name);
    }

    @Override
    public void handle(Recording.Message message) {
      switch (message) {
        case Get(var replyTo) -> replyTo.reply(instance);
        case Crash crash -> throw new IllegalStateException("asked to crash");
      }
    }

    @Override
    public void terminate(ExitReason reason) {
      journal.entries.add("stop " + name);
    }
  }

  /* A server that stops normally when cast Finish, as a job that has done its work does. */
  static final class Finishing implements Server<Finishing.Message> {
    sealed interface Message {}

    enum Finish implements Finishing.Message {
      INSTANCE
    }

    private final Journal journal;
    private final String name;
    private @Nullable ServerContext<Finishing.Message> context;

    Finishing(Journal journal, String name) {
      this.journal = journal;
      this.name = name;
    }

    @Override
    public void init(ServerContext<Finishing.Message> context) {
      this.context = context;
      journal.entries.add("start " + name);
    }

    @Override
    public void handle(Finishing.Message message) {
      switch (message) {
        case Finish finish -> {
          if (context != null) {
            context.stop(ExitReason.normal());
          }
        }
      }
    }

    @Override
    public void terminate(ExitReason reason) {
      journal.entries.add("stop " + name);
    }
  }

  /* Under `batch`: a significant transient job and a permanent helper. */
  @Configuration(proxyBeanMethods = false)
  static class SignificantConfiguration {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(
        supervisor = "batch",
        id = "job",
        restart = Restart.TRANSIENT,
        significant = true,
        order = 1)
    Finishing job(Journal journal) {
      return new Finishing(journal, "job");
    }

    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(supervisor = "batch", id = "helper", order = 2)
    Recording helper(Journal journal) {
      return new Recording(journal, "helper");
    }
  }

  /* A significant child left permanent, which OTP refuses. */
  @Configuration(proxyBeanMethods = false)
  static class SignificantPermanentConfiguration {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(id = "job", significant = true)
    Finishing job(Journal journal) {
      return new Finishing(journal, "job");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class JournalConfiguration {
    @Bean
    Journal journal() {
      return new Journal();
    }
  }

  /* Two annotated children of `workers` (order 2 and 1) and a spec child of the root. */
  @Configuration(proxyBeanMethods = false)
  static class ChildrenConfiguration {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(supervisor = "workers", id = "second", order = 2)
    Recording second(Journal journal) {
      return new Recording(journal, "second");
    }

    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(supervisor = "workers", id = "first", order = 1, shutdown = "1s")
    Recording first(Journal journal) {
      return new Recording(journal, "first");
    }

    @Bean
    SupervisedChildSpec rootWorker(Journal journal) {
      return SupervisedChildSpec.ofRoot(
          ChildSpec.server("root-worker", () -> new Recording(journal, "root-worker")));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SingletonChildConfiguration {
    @Bean
    @SupervisedChild
    Recording lonely(Journal journal) {
      return new Recording(journal, "lonely");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class NotAServerConfiguration {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild
    String notAServer() {
      return "nope";
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UnknownSupervisorConfiguration {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @SupervisedChild(supervisor = "nowhere")
    Recording orphan(Journal journal) {
      return new Recording(journal, "orphan");
    }
  }

  /* A prototype Server bean that load-balancer pools use as their worker. */
  @Configuration(proxyBeanMethods = false)
  static class PoolWorkerConfiguration {
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    Recording pricer(Journal journal) {
      return new Recording(journal, "pricer");
    }

    @Bean
    Recording singletonServer(Journal journal) {
      return new Recording(journal, "singleton");
    }
  }
}

package dev.supervision.spring.exit;

import dev.supervision.core.process.Pid;
import dev.supervision.core.server.Server;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.spring.SupervisedChild;
import dev.supervision.spring.SupervisionTree;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;

/*
 * An application, run in its own JVM by StopApplicationExitCodeTests, whose root supervisor gives
 * up as soon as it has started: its one child crashes and the root allows no restart.
 *
 * Like a web application, it is kept alive by a non-daemon thread (spring.main.keep-alive) that
 * ends as soon as its context starts closing; closing then takes a second (SlowToClose, as a web
 * server draining its requests would). Without a shutdown hook to wait for the close, the JVM
 * ends, with status 0, as soon as no non-daemon thread is left: unless the thread that closes the
 * context for stop-application is one of them, it never gets to call System.exit.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class GiveUpApplication {

  /* Crashes on any message. */
  static final class Fragile implements Server<Fragile.Message> {
    sealed interface Message {}

    enum Crash implements Message {
      INSTANCE
    }

    @Override
    public void handle(Message message) {
      switch (message) {
        case Crash crash -> throw new IllegalStateException("crash requested");
      }
    }
  }

  static final class SlowToClose implements DisposableBean {
    /* Nothing counts it down: closing takes the whole second. */
    private final CountDownLatch drained = new CountDownLatch(1);

    @Override
    public void destroy() throws InterruptedException {
      boolean unused = drained.await(1, TimeUnit.SECONDS);
    }
  }

  @Bean
  SlowToClose slowToClose() {
    return new SlowToClose();
  }

  @Bean
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  @SupervisedChild(supervisor = "root", id = "fragile")
  Fragile fragile() {
    return new Fragile();
  }

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(GiveUpApplication.class);
    application.setDefaultProperties(
        java.util.Map.of(
            "spring.main.web-application-type", "none",
            "spring.main.keep-alive", "true",
            "spring.main.register-shutdown-hook", "false",
            "supervision.root.max-restarts", "0",
            "supervision.root.on-give-up", "stop-application",
            "supervision.root.exit-code", "3"));
    ConfigurableApplicationContext context = application.run(args);
    SupervisorRef root = context.getBean(SupervisionTree.class).root();
    Pid child = root.whichChildren().getFirst().pid();
    if (child != null) {
      ServerRef.<Fragile.Message>of(child).cast(Fragile.Crash.INSTANCE);
    }
  }
}

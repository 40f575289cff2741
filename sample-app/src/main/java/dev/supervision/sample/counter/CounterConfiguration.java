package dev.supervision.sample.counter;

import dev.supervision.core.registry.Registry;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.core.supervisor.NamedChildren;
import dev.supervision.core.supervisor.Restart;
import dev.supervision.sample.ChatProperties;
import dev.supervision.spring.RegistryNamed;
import dev.supervision.spring.SupervisorNamed;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The counters' servers, the service over them and their meter. */
@Configuration(proxyBeanMethods = false)
class CounterConfiguration {

  @Bean
  Counters counterService(
      @SupervisorNamed("counters") DynamicSupervisorRef supervisor,
      @RegistryNamed("counter-names") Registry<String, @Nullable Object> registry,
      ChatProperties properties,
      MeterRegistry meters) {
    // Every counter is a transient child of id 'counter' (the bounded tag its metrics carry, never
    // the user's name), registered under its name.
    NamedChildren<String, Counter.Message> servers =
        NamedChildren.of(supervisor, registry, "counter", Counter::new)
            .withRestart(Restart.TRANSIENT)
            .withRestartWait(properties.restartWait());
    Gauge.builder("chat.counters", servers, NamedChildren::count)
        .description("Running counter servers")
        .strongReference(true)
        .register(meters);
    return new Counters(servers);
  }
}

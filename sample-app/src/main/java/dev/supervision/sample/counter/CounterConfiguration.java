package dev.supervision.sample.counter;

import dev.supervision.core.registry.Registry;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.sample.ChatProperties;
import dev.supervision.sample.NamedChildren;
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
    NamedChildren<Counter.Message> servers =
        new NamedChildren<>(supervisor, registry, Counters::spec, properties.restartWait());
    Gauge.builder("chat.counters", servers, NamedChildren::count)
        .description("Running counter servers")
        .strongReference(true)
        .register(meters);
    return new Counters(servers);
  }
}

package dev.supervision.sample.counter;

import dev.supervision.core.registry.Registry;
import dev.supervision.core.supervisor.DynamicSupervisorRef;
import dev.supervision.sample.ChatProperties;
import dev.supervision.sample.NamedChildren;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The counters' servers, the service over them and their meter. */
@Configuration(proxyBeanMethods = false)
class CounterConfiguration {

  @Bean
  Counters counterService(
      @Qualifier("counters") DynamicSupervisorRef supervisor,
      @Qualifier("counter-names") Registry<String, @Nullable Object> registry,
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

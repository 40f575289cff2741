package dev.supervision.spring.autoconfigure;

import dev.supervision.core.server.Server;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.Backoff;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.InvalidSpecException;
import dev.supervision.core.supervisor.Shutdown;
import dev.supervision.spring.SupervisedChild;
import dev.supervision.spring.SupervisedChildSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;

/*
 * Finds the supervised beans of a context: @SupervisedChild prototype beans and SupervisedChildSpec
 * beans, in bean registration order, stably sorted by `order`, and turns them into children of the
 * tree whose start function asks the bean factory for a new instance. Checks what only Spring
 * knows (a Server bean, prototype-scoped, a shutdown that parses); the tree checks the rest.
 */
final class SupervisedBeans {

  private SupervisedBeans() {}

  static List<SupervisionSpecs.Child> collect(ConfigurableListableBeanFactory beanFactory) {
    Set<String> annotated =
        new HashSet<>(Arrays.asList(beanFactory.getBeanNamesForAnnotation(SupervisedChild.class)));
    Set<String> specs =
        new HashSet<>(
            Arrays.asList(beanFactory.getBeanNamesForType(SupervisedChildSpec.class, true, false)));
    List<Ordered> children = new ArrayList<>();
    for (String name : beanFactory.getBeanDefinitionNames()) {
      if (specs.contains(name)) {
        SupervisedChildSpec s = beanFactory.getBean(name, SupervisedChildSpec.class);
        children.add(
            new Ordered(
                s.order(),
                new SupervisionSpecs.Child(
                    s.supervisor(), s.spec(), "SupervisedChildSpec bean '" + name + "'", null)));
      } else if (annotated.contains(name)) {
        SupervisedChild a = beanFactory.findAnnotationOnBean(name, SupervisedChild.class);
        if (a != null) {
          children.add(new Ordered(a.order(), annotatedChild(beanFactory, name, a)));
        }
      }
    }
    children.sort(Comparator.comparingInt(Ordered::order));
    return children.stream().map(Ordered::child).toList();
  }

  private record Ordered(int order, SupervisionSpecs.Child child) {}

  private static SupervisionSpecs.Child annotatedChild(
      ConfigurableListableBeanFactory beanFactory, String name, SupervisedChild a) {
    String what = "@SupervisedChild bean '" + name + "'";
    if (!beanFactory.isTypeMatch(name, Server.class)) {
      throw new SupervisionConfigurationException(
          what + " does not implement " + Server.class.getName() + ".",
          "Implement Server<M> (init, handle, handleInfo, terminate) in the bean's class, or"
              + " remove @SupervisedChild.");
    }
    if (!beanFactory.isPrototype(name)) {
      throw new SupervisionConfigurationException(
          what
              + " is not prototype-scoped; a supervised child needs a new instance for every start"
              + " and restart.",
          "Annotate the bean with @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE).");
    }
    String id = a.id().isBlank() ? name : a.id();
    Shutdown shutdown = shutdown(a.shutdown(), what);
    StartOptions options = StartOptions.DEFAULTS.withLabel(id);
    ChildSpec spec;
    try {
      spec =
          ChildSpec.server(id, serverBean(beanFactory, name), options)
              .withRestart(a.restart())
              .withShutdown(shutdown)
              .withSignificant(a.significant());
      Backoff backoff = backoff(a.backoff(), what);
      if (backoff != null) {
        spec = spec.withBackoff(backoff);
      }
    } catch (InvalidSpecException e) {
      throw new SupervisionConfigurationException(
          what + " is invalid: " + e.getMessage() + ".",
          "Change the bean's @SupervisedChild attributes as the message says.");
    }
    return new SupervisionSpecs.Child(a.supervisor(), spec, what, null);
  }

  /*
   * New instances of the prototype Server bean `name`, checked to be a Server. Its protocol is the
   * bean class's own, which a bean factory does not tell: the runtime only hands the instance the
   * messages sent to it, and a sender states the protocol it speaks (ServerRef.of, an injected
   * WorkerPool<M>), hence Server<Object> here.
   */
  @SuppressWarnings("unchecked")
  static Supplier<Server<Object>> serverBean(BeanFactory beanFactory, String name) {
    return () -> (Server<Object>) beanFactory.getBean(name, Server.class);
  }

  /*
   * The child's own backoff, or null for its supervisor's: min and max go together; the reset
   * defaults as Backoff.exponential's does. Backoff itself checks the values.
   */
  static @Nullable Backoff backoff(SupervisedChild.Backoff b, String what) {
    if (b.min().isBlank() && b.max().isBlank()) {
      return null;
    }
    if (b.min().isBlank() || b.max().isBlank()) {
      throw new SupervisionConfigurationException(
          what + " has a backoff without " + (b.min().isBlank() ? "min" : "max") + ".",
          "Give @SupervisedChild.Backoff both min and max (\"100ms\", \"30s\"), or neither.");
    }
    Duration min = duration(b.min(), what, "backoff min");
    Duration max = duration(b.max(), what, "backoff max");
    Duration resetAfter =
        b.resetAfter().isBlank()
            ? Backoff.exponential(min, max).resetAfter()
            : duration(b.resetAfter(), what, "backoff resetAfter");
    return new Backoff(min, max, b.multiplier(), b.jitter(), resetAfter);
  }

  private static Duration duration(String value, String what, String attribute) {
    try {
      return DurationStyle.detectAndParse(value.trim());
    } catch (IllegalArgumentException e) {
      throw new SupervisionConfigurationException(
          what + " has " + attribute + " '" + value + "', which is not a duration.",
          "Use a duration such as \"100ms\", \"30s\" or \"PT1M\".");
    }
  }

  static Shutdown shutdown(String value, String what) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("brutal-kill") || v.equals("brutal_kill")) {
      return Shutdown.brutalKill();
    }
    if (v.equals("infinity")) {
      return Shutdown.infinity();
    }
    try {
      Duration d = DurationStyle.detectAndParse(value.trim());
      if (!d.isNegative()) {
        return Shutdown.timeout(d);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new SupervisionConfigurationException(
        what + " has shutdown '" + value + "', which is not a shutdown.",
        "Use a non-negative duration (\"5s\", \"500ms\", \"PT1M\"), \"brutal-kill\" or"
            + " \"infinity\".");
  }
}

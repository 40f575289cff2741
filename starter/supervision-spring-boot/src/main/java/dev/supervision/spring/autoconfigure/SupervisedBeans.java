package dev.supervision.spring.autoconfigure;

import dev.supervision.core.server.Server;
import dev.supervision.core.server.StartOptions;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.Restart;
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
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;

/*
 * Finds the supervised beans of a context: @SupervisedChild prototype beans and SupervisedChildSpec
 * beans, in bean registration order, stably sorted by `order`. Validates them against the known
 * supervisor names and turns them into child specs whose start function asks the bean factory for
 * a new instance.
 */
final class SupervisedBeans {

  record BeanChild(String supervisor, int order, ChildSpec spec, String beanName) {}

  private SupervisedBeans() {}

  static List<BeanChild> collect(
      ConfigurableListableBeanFactory beanFactory, String rootName, Set<String> supervisors) {
    Set<String> annotated =
        new HashSet<>(Arrays.asList(beanFactory.getBeanNamesForAnnotation(SupervisedChild.class)));
    Set<String> specs =
        new HashSet<>(
            Arrays.asList(beanFactory.getBeanNamesForType(SupervisedChildSpec.class, true, false)));
    List<BeanChild> children = new ArrayList<>();
    for (String name : beanFactory.getBeanDefinitionNames()) {
      if (specs.contains(name)) {
        SupervisedChildSpec s = beanFactory.getBean(name, SupervisedChildSpec.class);
        String sup = supervisor(s.supervisor(), rootName);
        requireKnown(sup, supervisors, "SupervisedChildSpec bean '" + name + "'");
        children.add(new BeanChild(sup, s.order(), s.spec(), name));
      } else if (annotated.contains(name)) {
        SupervisedChild a = beanFactory.findAnnotationOnBean(name, SupervisedChild.class);
        if (a != null) {
          children.add(annotatedChild(beanFactory, name, a, rootName, supervisors));
        }
      }
    }
    children.sort(Comparator.comparingInt(BeanChild::order));
    return children;
  }

  private static BeanChild annotatedChild(
      ConfigurableListableBeanFactory beanFactory,
      String name,
      SupervisedChild a,
      String rootName,
      Set<String> supervisors) {
    String what = "@SupervisedChild bean '" + name + "'";
    String sup = supervisor(a.supervisor(), rootName);
    requireKnown(sup, supervisors, what);
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
    if (a.significant() && a.restart() == Restart.PERMANENT) {
      throw new SupervisionConfigurationException(
          what
              + " is significant but permanent; a permanent child would be restarted whenever it"
              + " ended, so its supervisor's auto-shutdown could never count it.",
          "Set restart = Restart.TRANSIENT or Restart.TEMPORARY, or remove significant = true.");
    }
    StartOptions options = StartOptions.DEFAULTS.withLabel(id);
    ChildSpec spec =
        ChildSpec.server(id, serverBean(beanFactory, name), options)
            .withRestart(a.restart())
            .withShutdown(shutdown)
            .withSignificant(a.significant());
    return new BeanChild(sup, a.order(), spec, name);
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

  private static String supervisor(String name, String rootName) {
    return name.isBlank() ? rootName : name;
  }

  private static void requireKnown(String supervisor, Set<String> supervisors, String what) {
    if (!supervisors.contains(supervisor)) {
      throw new SupervisionConfigurationException(
          what + " names supervisor '" + supervisor + "', which does not exist.",
          "Use one of "
              + supervisors
              + " (empty for the root), or declare it with supervision.supervisors."
              + supervisor
              + ".type=static|dynamic.");
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

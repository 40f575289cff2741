package dev.supervision.spring.autoconfigure;

import dev.supervision.core.registry.RegistrySpec;
import dev.supervision.core.supervisor.AutoShutdown;
import dev.supervision.core.supervisor.Backoff;
import dev.supervision.core.supervisor.ChildSpec;
import dev.supervision.core.supervisor.DynamicSupervisorSpec;
import dev.supervision.core.supervisor.InvalidSpecException;
import dev.supervision.core.supervisor.Strategy;
import dev.supervision.core.supervisor.SupervisorSpec;
import dev.supervision.core.supervisor.TreeSpec;
import dev.supervision.spring.autoconfigure.SupervisionProperties.BackoffProperties;
import dev.supervision.spring.autoconfigure.SupervisionProperties.RegistryProperties;
import dev.supervision.spring.autoconfigure.SupervisionProperties.RootProperties;
import dev.supervision.spring.autoconfigure.SupervisionProperties.SupervisorProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/*
 * Maps supervision.* properties onto core specs, and what the specs refuse back onto the property
 * at fault. The rules themselves are the core's (TreeSpec, SupervisorSpec, DynamicSupervisorSpec,
 * ChildSpec, RegistrySpec, PoolSpec); what is checked here is only which keys apply to which spec
 * (max-children to a dynamic supervisor, auto-shutdown to a static one), which the core's types
 * express and properties cannot.
 */
final class SupervisionSpecs {
  static final String ROOT = "supervision.root";
  static final String SUPERVISORS = "supervision.supervisors";
  static final String REGISTRIES = "supervision.registries";
  static final String LOAD_BALANCERS = "supervision.load-balancers";

  private SupervisionSpecs() {}

  /**
   * A child added to the tree by something other than supervision.supervisors: a load balancer's
   * pool or a supervised bean.
   *
   * @param supervisor the name of its supervisor; empty for the root
   * @param spec the child
   * @param origin what declared it, as the failure report names it: a property prefix
   *     ("supervision.load-balancers.writers") or a bean ("@SupervisedChild bean 'cache'")
   * @param supervisorKey the property that names its supervisor, or null for a bean
   */
  record Child(String supervisor, ChildSpec spec, String origin, @Nullable String supervisorKey) {}

  /* The application's tree: the root, the supervisors, then `children` in order. */
  static TreeSpec tree(SupervisionProperties properties, List<Child> children) {
    RootProperties root = properties.root();
    TreeSpec.Builder tree =
        TreeSpec.builder(
            mapping(
                ROOT,
                () ->
                    new SupervisorSpec(
                            root.name(),
                            root.strategy(),
                            root.maxRestarts(),
                            root.within(),
                            List.of())
                        .withBackoff(backoff(ROOT, root.backoff()))));
    properties
        .supervisors()
        .forEach(
            (name, supervisor) ->
                mapping(SUPERVISORS + "." + name, () -> declare(tree, name, supervisor, root)));
    Map<String, Child> byId = new HashMap<>();
    for (Child child : children) {
      tree.child(child.supervisor().isEmpty() ? root.name() : child.supervisor(), child.spec());
      byId.putIfAbsent(child.spec().id(), child);
    }
    try {
      return tree.build();
    } catch (InvalidSpecException e) {
      throw explain(e, properties, byId);
    }
  }

  private static TreeSpec.Builder declare(
      TreeSpec.Builder tree, String name, SupervisorProperties s, RootProperties root) {
    String key = SUPERVISORS + "." + name;
    String parent = s.parent() == null || s.parent().isBlank() ? root.name() : s.parent();
    switch (s.type()) {
      case STATIC -> {
        if (s.maxChildren() != null) {
          throw notFor(key, "max-children", "dynamic");
        }
        Strategy strategy = s.strategy();
        AutoShutdown autoShutdown = s.autoShutdown();
        tree.supervisor(
            parent,
            new SupervisorSpec(
                name,
                strategy == null ? Strategy.ONE_FOR_ONE : strategy,
                s.maxRestarts(),
                s.within(),
                List.of(),
                autoShutdown == null ? AutoShutdown.NEVER : autoShutdown,
                backoff(key, s.backoff())));
      }
      case DYNAMIC -> {
        if (s.strategy() != null && s.strategy() != Strategy.ONE_FOR_ONE) {
          throw notFor(key, "strategy", "static");
        }
        if (s.autoShutdown() != null && s.autoShutdown() != AutoShutdown.NEVER) {
          throw notFor(key, "auto-shutdown", "static");
        }
        Integer maxChildren = s.maxChildren();
        tree.supervisor(
            parent,
            new DynamicSupervisorSpec(
                name,
                s.maxRestarts(),
                s.within(),
                maxChildren == null ? 0 : maxChildren,
                backoff(key, s.backoff())));
      }
    }
    return tree.asChild(name, s.restart(), s.significant());
  }

  /*
   * The backoff under `key`.backoff: none when the group is absent; min and max go together, the
   * reset defaults as Backoff.exponential's does. A value Backoff refuses fails naming its key.
   */
  static Backoff backoff(String key, @Nullable BackoffProperties b) {
    if (b == null) {
      return Backoff.NONE;
    }
    String prefix = key + ".backoff";
    Duration min = b.min();
    Duration max = b.max();
    if (min == null || max == null) {
      String missing = min == null ? "min" : "max";
      throw new SupervisionConfigurationException(
          prefix + "." + missing + " is not set, but other " + prefix + ".* keys are.",
          "Set both " + prefix + ".min and " + prefix + ".max, or remove the " + prefix + " keys.");
    }
    Duration resetAfter = b.resetAfter();
    return mapping(
        prefix,
        () -> {
          Backoff exponential = Backoff.exponential(min, max);
          return new Backoff(
              min,
              max,
              b.multiplier(),
              b.jitter(),
              resetAfter == null ? exponential.resetAfter() : resetAfter);
        });
  }

  /* The registry `name`. */
  static RegistrySpec registry(String name, RegistryProperties properties) {
    String key = REGISTRIES + "." + name;
    RegistrySpec spec = mapping(key, () -> RegistrySpec.of(name, properties.keys()));
    Integer partitions = properties.partitions();
    return partitions == null
        ? spec
        : mapping(key + ".partitions", () -> spec.withPartitions(partitions));
  }

  /**
   * Runs {@code mapping}, which builds a core spec from the properties under {@code key}; a value
   * the spec refuses fails startup naming {@code key}, or the key of the spec component at fault
   * when the core names it.
   */
  static <T> T mapping(String key, Supplier<T> mapping) {
    try {
      return mapping.get();
    } catch (InvalidSpecException e) {
      String component = e.component();
      throw invalid(component == null ? key : key + "." + kebab(component), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw invalid(key, String.valueOf(e.getMessage()));
    }
  }

  static SupervisionConfigurationException invalid(String key, @Nullable String problem) {
    return new SupervisionConfigurationException(
        key + " is invalid: " + problem + ".", "Change " + key + " as the message says.");
  }

  static SupervisionConfigurationException notFor(String key, String property, String type) {
    return new SupervisionConfigurationException(
        key + "." + property + " applies only to type '" + type + "'.",
        "Remove " + key + "." + property + ", or set " + key + ".type=" + type + ".");
  }

  /* An error of the whole tree, traced back to the property or bean it came from. */
  private static SupervisionConfigurationException explain(
      InvalidSpecException e, SupervisionProperties properties, Map<String, Child> children) {
    String subject = e.subject();
    String component = e.component();
    String problem = e.getMessage();
    String rootName = properties.root().name();
    Child child = subject == null ? null : children.get(subject);
    if (subject == null || component == null) {
      return new SupervisionConfigurationException(
          "Invalid supervision tree: " + problem + ".",
          "Fix the supervision.* properties or the supervised beans named in the message.");
    }
    if (component.equals("supervisor") && child != null) {
      String key = child.supervisorKey();
      return new SupervisionConfigurationException(
          (key == null ? child.origin() : key) + " is invalid: " + problem + ".",
          "Set "
              + (key == null ? "the supervisor of " + child.origin() : key)
              + " to one of the supervisors the message lists (empty for the root), or declare it"
              + " with "
              + SUPERVISORS
              + "."
              + child.supervisor()
              + ".type=static|dynamic.");
    }
    if (component.equals("children")) {
      String where = subject.equals(rootName) ? ROOT : SUPERVISORS + "." + subject;
      return new SupervisionConfigurationException(
          where + " is invalid: " + problem + ".",
          "Give one of the children another id: a supervisor's name, a @SupervisedChild's id, a"
              + " SupervisedChildSpec's spec id or a load balancer's name.");
    }
    SupervisorProperties supervisor = properties.supervisors().get(subject);
    if (supervisor != null) {
      String key = SUPERVISORS + "." + subject;
      return switch (component) {
        case "name" ->
            new SupervisionConfigurationException(
                key + " is invalid: " + problem + ".",
                "Rename the supervisor, or the root with " + ROOT + ".name.");
        case "parent" ->
            new SupervisionConfigurationException(
                key + ".parent is invalid: " + problem + ".",
                "Set "
                    + key
                    + ".parent to one of the supervisors the message lists (empty for the root),"
                    + " so that every supervisor leads up to the root.");
        case "significant" ->
            new SupervisionConfigurationException(
                key + ".significant is invalid: " + problem + ".",
                significantAction(
                    "set " + key + ".significant=false", supervisor.parent(), rootName));
        case "restart" ->
            new SupervisionConfigurationException(
                key + ".restart is invalid: " + problem + ".",
                "Set "
                    + key
                    + ".restart to transient or temporary, or "
                    + key
                    + ".significant"
                    + " to false.");
        default -> invalid(key + "." + kebab(component), problem);
      };
    }
    if (child != null) {
      return new SupervisionConfigurationException(
          child.origin() + " is invalid: " + problem + ".",
          component.equals("significant")
              ? significantAction("make the child not significant", child.supervisor(), rootName)
              : "Change " + child.origin() + " as the message says.");
    }
    return new SupervisionConfigurationException(
        "Invalid supervision tree: " + problem + ".",
        "Fix the supervision.* properties or the supervised beans named in the message.");
  }

  private static String significantAction(
      String notSignificant, @Nullable String parent, String rootName) {
    String p = parent == null || parent.isBlank() ? rootName : parent;
    return "Set "
        + SUPERVISORS
        + "."
        + p
        + ".auto-shutdown to any-significant or all-significant (only a static supervisor other"
        + " than the root has one), or "
        + notSignificant
        + ".";
  }

  /* A spec component's name as a property key: maxRestarts -> max-restarts. */
  static String kebab(String component) {
    StringBuilder key = new StringBuilder(component.length() + 4);
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (Character.isUpperCase(c)) {
        key.append('-').append(Character.toLowerCase(c));
      } else {
        key.append(c);
      }
    }
    return key.toString().toLowerCase(Locale.ROOT);
  }
}

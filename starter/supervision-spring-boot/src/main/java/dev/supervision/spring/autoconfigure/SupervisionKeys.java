package dev.supervision.spring.autoconfigure;

import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/*
 * The keys a user may write under supervision.*, read off SupervisionProperties' records (a record
 * is a group of keys, a Map<String, V> a key of the user's choice followed by V's keys), and the
 * check that the Environment holds no other: Boot's binder silently ignores a key it has no place
 * for, and ignoreUnknownFields=false does not reach into the values of a map, where most keys are.
 * An unknown key fails startup naming it and the nearest known key (edit distance).
 *
 * The OS environment is not checked: every variable that happens to start with SUPERVISION_ would
 * show as a supervision.* key there.
 */
final class SupervisionKeys {
  private static final String PREFIX = "supervision";
  private static final Shape SHAPE = Shape.of(SupervisionProperties.class);

  private SupervisionKeys() {}

  /* Fails if `environment` has a supervision.* key that the properties do not know. */
  static void requireKnown(Environment environment) {
    ConfigurationPropertyName prefix = ConfigurationPropertyName.of(PREFIX);
    Map<ConfigurationPropertyName, @Nullable Origin> unknown = new LinkedHashMap<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource names
          && !(source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource)) {
        names.stream()
            .filter(prefix::isAncestorOf)
            .filter(name -> !SHAPE.accepts(name, 1))
            .forEach(name -> unknown.putIfAbsent(name, origin(source, name)));
      }
    }
    if (unknown.isEmpty()) {
      return;
    }
    List<String> problems = new ArrayList<>();
    Set<String> groups = new TreeSet<>();
    unknown.forEach(
        (name, origin) -> {
          List<String> candidates = keysLike(name);
          String nearest =
              candidates.stream()
                  .min(Comparator.comparingInt((String key) -> score(name.toString(), key)))
                  .orElse(PREFIX + ".enabled");
          problems.add(
              name
                  + " is not a supervision property; did you mean "
                  + nearest
                  + "?"
                  + (origin == null ? "" : " (" + where(origin) + ")"));
          String parent = nearest.substring(0, nearest.lastIndexOf('.'));
          List<String> siblings = new ArrayList<>();
          for (String key : candidates) {
            if (key.lastIndexOf('.') == parent.length() && key.startsWith(parent)) {
              siblings.add(key.substring(parent.length() + 1));
            }
          }
          groups.add(parent + ": " + String.join(", ", siblings));
        });
    throw new SupervisionConfigurationException(
        String.join("\n", problems),
        "Correct the key"
            + (problems.size() == 1 ? "" : "s")
            + ". The keys there are "
            + String.join("; ", groups)
            + ".");
  }

  /* Where a key was written: a file and line, or the property source. */
  private static String where(Origin origin) {
    return origin instanceof PropertySourceOrigin source
        ? "from property source '" + source.getPropertySource().getName() + "'"
        : "from " + origin;
  }

  private static @Nullable Origin origin(
      ConfigurationPropertySource source, ConfigurationPropertyName name) {
    ConfigurationProperty property = source.getConfigurationProperty(name);
    return property == null ? null : property.getOrigin();
  }

  /* Every known key, with `name`'s own map keys where the key has one of the user's choice. */
  static List<String> keysLike(ConfigurationPropertyName name) {
    List<String> keys = new ArrayList<>();
    SHAPE.collect(PREFIX, name, 1, keys);
    return keys;
  }

  /* Every known key; a key of the user's choice is written '*'. */
  static List<String> keys() {
    List<String> keys = new ArrayList<>();
    SHAPE.collect(PREFIX, null, 1, keys);
    return keys;
  }

  /* How far `written` is from `key`: 1 if the key completes it, else their edit distance. */
  static int score(String written, String key) {
    return key.startsWith(written) ? 1 : distance(written, key);
  }

  /* Levenshtein distance, in one row. */
  static int distance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + cost);
        diagonal = above;
      }
    }
    return row[b.length()];
  }

  /* The shape of a part of the properties. */
  private sealed interface Shape {

    static Shape of(Type type) {
      if (type instanceof Class<?> c && c.isRecord()) {
        Map<String, Shape> members = new LinkedHashMap<>();
        RecordComponent[] components = c.getRecordComponents();
        Parameter[] parameters = canonical(c, components).getParameters();
        for (int i = 0; i < components.length; i++) {
          Name renamed = parameters[i].getAnnotation(Name.class);
          String key =
              renamed != null ? renamed.value() : SupervisionSpecs.kebab(components[i].getName());
          members.put(key, of(components[i].getGenericType()));
        }
        return new Group(members);
      }
      if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
        return new Entries(of(p.getActualTypeArguments()[1]));
      }
      return Value.INSTANCE;
    }

    private static Constructor<?> canonical(Class<?> record, RecordComponent[] components) {
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
      }
      try {
        return record.getDeclaredConstructor(types);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("a record has its canonical constructor", e);
      }
    }

    /* Whether the elements of `name` from `index` on are a key of this shape. */
    boolean accepts(ConfigurationPropertyName name, int index);

    /* Adds this shape's keys under `path`, taking map keys from `like` where it has them. */
    void collect(
        String path, @Nullable ConfigurationPropertyName like, int index, List<String> keys);
  }

  /* A record: a fixed set of keys. */
  private record Group(Map<String, Shape> members) implements Shape {
    @Override
    public boolean accepts(ConfigurationPropertyName name, int index) {
      if (index == name.getNumberOfElements()) {
        return true; // the group itself, as an empty YAML mapping gives it
      }
      String element = name.getElement(index, Form.UNIFORM);
      for (Map.Entry<String, Shape> member : members.entrySet()) {
        if (member.getKey().replace("-", "").equals(element)) {
          return member.getValue().accepts(name, index + 1);
        }
      }
      return false;
    }

    @Override
    public void collect(
        String path, @Nullable ConfigurationPropertyName like, int index, List<String> keys) {
      members.forEach((key, shape) -> shape.collect(path + "." + key, like, index + 1, keys));
    }
  }

  /* A map: a key of the user's choice, then the value's keys. */
  private record Entries(Shape value) implements Shape {
    @Override
    public boolean accepts(ConfigurationPropertyName name, int index) {
      return index == name.getNumberOfElements() || value.accepts(name, index + 1);
    }

    @Override
    public void collect(
        String path, @Nullable ConfigurationPropertyName like, int index, List<String> keys) {
      String key =
          like != null && index < like.getNumberOfElements()
              ? like.getElement(index, Form.ORIGINAL)
              : "*";
      value.collect(path + "." + key, like, index + 1, keys);
    }
  }

  /* A single value. */
  private enum Value implements Shape {
    INSTANCE;

    @Override
    public boolean accepts(ConfigurationPropertyName name, int index) {
      return index == name.getNumberOfElements();
    }

    @Override
    public void collect(
        String path, @Nullable ConfigurationPropertyName like, int index, List<String> keys) {
      keys.add(path);
    }
  }
}

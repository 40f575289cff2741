package dev.supervision.core.server;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import org.jspecify.annotations.Nullable;

/*
 * The protocol class of a server class: the X of the Server<X> it implements, found once per class
 * by reflection and cached. Type variables are followed down the class hierarchy as far as the
 * hierarchy binds them; where nothing binds them (a server generic in its protocol), Object: every
 * message is then taken as the protocol's, as before this check existed.
 */
final class Protocols {
  private static final ClassValue<Class<?>> PROTOCOL =
      new ClassValue<>() {
        @Override
        protected Class<?> computeValue(Class<?> type) {
          Class<?> found = find(type, type);
          return found == null ? Object.class : found;
        }
      };

  private Protocols() {}

  static Class<?> of(Class<?> serverClass) {
    return PROTOCOL.get(serverClass);
  }

  /* Searches `type`'s superclass and interfaces for Server<X>, resolving X against `leaf`. */
  private static @Nullable Class<?> find(Class<?> type, Class<?> leaf) {
    for (Type t : type.getGenericInterfaces()) {
      Class<?> found = match(t, leaf);
      if (found != null) {
        return found;
      }
    }
    Type sup = type.getGenericSuperclass();
    return sup == null ? null : match(sup, leaf);
  }

  private static @Nullable Class<?> match(Type t, Class<?> leaf) {
    if (t instanceof ParameterizedType p && p.getRawType() == Server.class) {
      return resolve(p.getActualTypeArguments()[0], leaf);
    }
    Class<?> raw = raw(t);
    return raw == null || raw == Server.class ? null : find(raw, leaf);
  }

  /* Follows type variables through every generic level between Server<X> and the leaf. */
  private static @Nullable Class<?> resolve(Type arg, Class<?> leaf) {
    Type t = arg;
    for (int depth = 0; t instanceof TypeVariable<?> v && depth < 32; depth++) {
      t = bindingOf(v, leaf);
    }
    return t == null || t instanceof TypeVariable<?> ? null : raw(t);
  }

  /* What `leaf`'s hierarchy binds v to, or null. */
  private static @Nullable Type bindingOf(TypeVariable<?> v, Class<?> leaf) {
    if (!(v.getGenericDeclaration() instanceof Class<?> declaring)) {
      return null;
    }
    for (Class<?> c = leaf; c != null && c != Object.class; c = c.getSuperclass()) {
      Type sup = c.getGenericSuperclass();
      if (sup instanceof ParameterizedType p && p.getRawType() == declaring) {
        return p.getActualTypeArguments()[indexOf(declaring, v)];
      }
      for (Type i : c.getGenericInterfaces()) {
        if (i instanceof ParameterizedType p && p.getRawType() == declaring) {
          return p.getActualTypeArguments()[indexOf(declaring, v)];
        }
      }
    }
    return null;
  }

  private static int indexOf(Class<?> declaring, TypeVariable<?> v) {
    TypeVariable<?>[] params = declaring.getTypeParameters();
    for (int i = 0; i < params.length; i++) {
      if (params[i].getName().equals(v.getName())) {
        return i;
      }
    }
    return 0;
  }

  private static @Nullable Class<?> raw(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    return null;
  }
}

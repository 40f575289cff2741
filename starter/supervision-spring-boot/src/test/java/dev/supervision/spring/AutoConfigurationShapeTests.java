package dev.supervision.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/* Spring Boot's rules for auto-configuration classes, checked on every class we register. */
final class AutoConfigurationShapeTests {

  @Test
  void everyAutoConfigurationIsPublicFinalWithPackagePrivateConditionalBeans() throws Exception {
    List<String> names;
    try (var in =
            getClass()
                .getResourceAsStream(
                    "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      names =
          reader.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
    assertThat(names).hasSize(6);
    for (String name : names) {
      Class<?> type = Class.forName(name);
      assertThat(type.isAnnotationPresent(AutoConfiguration.class)).as(name).isTrue();
      assertThat(Modifier.isPublic(type.getModifiers())).as(name + " is public").isTrue();
      assertThat(Modifier.isFinal(type.getModifiers())).as(name + " is final").isTrue();
      for (Method method : type.getDeclaredMethods()) {
        if (!method.isAnnotationPresent(Bean.class)) {
          continue;
        }
        int modifiers = method.getModifiers();
        assertThat(
                Modifier.isPublic(modifiers)
                    || Modifier.isProtected(modifiers)
                    || Modifier.isPrivate(modifiers))
            .as(method + " is package-private")
            .isFalse();
        assertThat(method.isAnnotationPresent(ConditionalOnMissingBean.class))
            .as(method + " is @ConditionalOnMissingBean")
            .isTrue();
      }
    }
  }
}

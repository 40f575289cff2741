package dev.supervision.sample;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application on a random port, with its own in-memory H2 database and an administrator
 * ({@value #ADMIN} / {@value #ADMIN_PASSWORD}). Contexts with the same extra properties are shared.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:sample-${random.uuid};DB_CLOSE_DELAY=-1",
      "chat.admin.username=" + SampleAppTest.ADMIN,
      "chat.admin.password=" + SampleAppTest.ADMIN_PASSWORD,
      "logging.level.dev.supervision=WARN"
    })
@interface SampleAppTest {
  String ADMIN = "root-of-all";
  String ADMIN_PASSWORD = "s3cret-for-tests";
}

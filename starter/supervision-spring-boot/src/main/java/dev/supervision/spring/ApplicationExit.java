package dev.supervision.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;

/**
 * Ends the application when the root supervisor gives up and {@code
 * supervision.root.on-give-up=stop-application}, as an OTP permanent application takes its node
 * down. Replace the bean to do something else (tests record the code instead of exiting).
 */
@FunctionalInterface
public interface ApplicationExit {

  /** Ends the application with {@code exitCode}. Runs on a dedicated thread. */
  void exit(int exitCode);

  /**
   * Closes {@code context} through {@link SpringApplication#exit} (so {@code ExitCodeGenerator}s
   * are asked) and then exits the JVM with the resulting code.
   */
  static ApplicationExit closeAndExit(ApplicationContext context) {
    return exitCode -> System.exit(SpringApplication.exit(context, () -> exitCode));
  }
}

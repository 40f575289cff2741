package dev.supervision.spring.autoconfigure;

/**
 * The supervision configuration is invalid: a supervised bean or a property refers to something
 * that does not exist or has the wrong shape. Startup fails; {@link
 * SupervisionConfigurationFailureAnalyzer} prints the {@linkplain #getMessage() problem} and the
 * {@linkplain #action() fix}.
 */
public final class SupervisionConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String action;

  /**
   * An invalid configuration.
   *
   * @param message what is wrong, naming the bean or property and the value
   * @param action how to fix it, naming what is allowed
   */
  public SupervisionConfigurationException(String message, String action) {
    super(message);
    this.action = action;
  }

  /** How to fix it. */
  public String action() {
    return action;
  }
}

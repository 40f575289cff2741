package dev.supervision.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a {@link SupervisionConfigurationException} in the startup failure report. */
final class SupervisionConfigurationFailureAnalyzer
    extends AbstractFailureAnalyzer<SupervisionConfigurationException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, SupervisionConfigurationException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}

package dev.supervision.sample.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Replaces Tomcat's HTML error report by {@link ProblemErrorReportValve}. */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

  @Bean
  static WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return new ProblemErrorReports();
  }

  /* Ordered last, so that its context customizer runs after Boot's, which adds the default valve. */
  private static final class ProblemErrorReports
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> {
            if (context.getParent() instanceof StandardHost host) {
              for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                  host.getPipeline().removeValve(valve);
                }
              }
              host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
              host.getPipeline().addValve(new ProblemErrorReportValve());
            }
          });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}

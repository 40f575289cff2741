package dev.supervision.sample.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/** The request size limit, the header checks and strict JSON binding. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

  @Bean
  static FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter() {
    return RequestSizeLimitFilter.registration();
  }

  @Bean
  static FilterRegistrationBean<RequestHeaderFilter> requestHeaderFilter() {
    return RequestHeaderFilter.registration();
  }

  /**
   * Text fields take text only: a number or a boolean where a name or content is expected is a 400,
   * not silently turned into a string.
   */
  @Bean
  static JsonMapperBuilderCustomizer strictTextFields() {
    return builder ->
        builder.withCoercionConfig(
            LogicalType.Textual,
            config ->
                config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }
}

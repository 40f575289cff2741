package dev.supervision.sample.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Enumeration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before anything else reads them, request headers that parts of the server would fail on
 * with a 500 rather than answer:
 *
 * <ul>
 *   <li>a header with a control character (a tab inside a value too) or an unassigned one: 400.
 *       Spring Security's firewall refuses these, but only when the header is read, which Spring
 *       MVC does while choosing a handler or an error answer, where the refusal cannot be turned
 *       into a problem;
 *   <li>a {@code Content-Type} with a charset this JVM does not know ({@code charset=foo}, {@code
 *       charset=""}) or a wildcard type ({@code application/*}): 415, even for a request without a
 *       body, since Spring MVC reads the header for every request.
 * </ul>
 *
 * A {@code Content-Type} that is not a media type at all is left to Spring MVC, which ignores it
 * where no body is read and answers 415 where one is.
 */
final class RequestHeaderFilter extends OncePerRequestFilter {

  /** Registers the filter right after the size limit, ahead of security, for every path. */
  static FilterRegistrationBean<RequestHeaderFilter> registration() {
    FilterRegistrationBean<RequestHeaderFilter> bean =
        new FilterRegistrationBean<>(new RequestHeaderFilter());
    bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    bean.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
    bean.addUrlPatterns("/*");
    return bean;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean errorPage = request.getDispatcherType() == DispatcherType.ERROR;
    if (!printable(request)) {
      Object path = errorPage ? request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) : null;
      Problems.write(
          response,
          HttpStatus.BAD_REQUEST.value(),
          "the request has a header with a control character",
          path instanceof String p ? p : request.getRequestURI());
      return;
    }
    if (errorPage) {
      chain.doFilter(request, response); // the error page answers, whatever the Content-Type
      return;
    }
    String problem = problem(request.getContentType());
    if (problem != null) {
      Problems.write(
          response, HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(), problem, request.getRequestURI());
      return;
    }
    chain.doFilter(request, response);
  }

  /*
   * Also on the error page of a request the container refused before any filter saw it (a TRACE,
   * a malformed path): Spring MVC reads its headers to answer it. A request that passed here once
   * is not checked again on its error page.
   */
  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  /* Whether every header name and value holds assigned characters that are not controls. */
  private static boolean printable(HttpServletRequest request) {
    for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      if (!printable(name)) {
        return false;
      }
      for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
        if (!printable(values.nextElement())) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean printable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || !Character.isDefined(c)) {
        return false;
      }
    }
    return true;
  }

  /* What is wrong with the Content-Type, or null if nothing this filter checks. */
  private static @Nullable String problem(@Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    String charset = charset(contentType);
    if (charset != null && !isKnown(charset)) {
      return "the Content-Type's charset is not one this server knows; send UTF-8";
    }
    MediaType type;
    try {
      type = MediaType.parseMediaType(contentType);
    } catch (InvalidMediaTypeException e) {
      return null;
    }
    if (type.isWildcardType() || type.isWildcardSubtype()) {
      return "the Content-Type must name one media type, not a wildcard; send application/json";
    }
    return null;
  }

  /*
   * The charset parameter as written, unquoted, or null if there is none. Read here rather than
   * from the request, which gives no charset at all for one the JVM does not know.
   */
  private static @Nullable String charset(String contentType) {
    String[] parts = contentType.split(";", -1);
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip();
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals).strip();
      if (name.equalsIgnoreCase("charset")) {
        String value = equals < 0 ? "" : parameter.substring(equals + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }

  private static boolean isKnown(String charset) {
    try {
      return Charset.isSupported(charset);
    } catch (IllegalArgumentException e) { // an illegal name
      return false;
    }
  }
}

package dev.supervision.sample.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}) as a problem: errors raised outside Spring MVC's
 * handlers (the security filters, the firewall, the servlet container) are answered in the same RFC
 * 9457 form as the API's, with no stack trace or exception name. Replaces Boot's {@code
 * BasicErrorController}. Asked for directly, {@code /error} is a 404 like any unknown path.
 *
 * <p>The problem is written straight to the response, not through Spring MVC's content negotiation
 * and message converters: the request that failed may carry an {@code Accept} header or a charset
 * those cannot handle, which is sometimes why it failed.
 */
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping("/error")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    // Asked for directly rather than as the container's error page: there is no such resource.
    int status = code == null ? HttpStatus.NOT_FOUND.value() : status(code);
    String path =
        request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String p
            ? p
            : request.getRequestURI();
    Problems.write(response, status, Problems.detail(status, path), path);
  }

  private static int status(Object code) {
    if (code instanceof Integer i && HttpStatus.resolve(i) != null && i >= 400) {
      return i;
    }
    return HttpStatus.INTERNAL_SERVER_ERROR.value();
  }
}

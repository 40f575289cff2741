package dev.supervision.sample.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}) as a problem: errors raised outside Spring MVC's
 * handlers (the security filters, the firewall, the servlet container) are answered in the same RFC
 * 9457 form as the API's, with no stack trace or exception name. Replaces Boot's {@code
 * BasicErrorController}.
 */
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping("/error")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    HttpStatus status = status(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
    ProblemDetail problem = ProblemDetail.forStatus(status);
    problem.setDetail(detail(status));
    if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
      try {
        problem.setInstance(URI.create(path));
      } catch (IllegalArgumentException e) {
        // not a valid URI reference (it is why the request failed): leave it out
      }
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static HttpStatus status(Object code) {
    if (code instanceof Integer i) {
      HttpStatus status = HttpStatus.resolve(i);
      if (status != null) {
        return status;
      }
    }
    return HttpStatus.INTERNAL_SERVER_ERROR;
  }

  private static String detail(HttpStatus status) {
    return switch (status) {
      case BAD_REQUEST ->
          "the request is malformed (for example a path with an encoded '/', '..' or a NUL byte)";
      case UNAUTHORIZED -> "this operation needs the administrator's credentials (HTTP basic)";
      case FORBIDDEN -> "this operation is reserved to the administrator";
      case NOT_FOUND -> "no such resource";
      case CONTENT_TOO_LARGE -> "the request body is too large";
      default -> status.getReasonPhrase();
    };
  }
}

package dev.supervision.sample.web;

import dev.supervision.core.balance.NoWorkerAvailableException;
import dev.supervision.core.server.CallException;
import dev.supervision.core.supervisor.ChildException;
import dev.supervision.sample.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API as an RFC 9457 problem ({@code application/problem+json}): the
 * application's own answers ({@link ApiException}), Spring MVC's (malformed JSON, wrong types,
 * unknown fields, wrong method or media type, missing resources) and, should anything else escape,
 * a 500 without a stack trace.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
  private static final System.Logger LOG = System.getLogger(ApiExceptionHandler.class.getName());

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    HttpStatus status =
        switch (e) {
          case ApiException.NotFound n -> HttpStatus.NOT_FOUND;
          case ApiException.Conflict c -> HttpStatus.CONFLICT;
          case ApiException.BadRequest b -> HttpStatus.BAD_REQUEST;
          case ApiException.TooManyRequests t -> HttpStatus.TOO_MANY_REQUESTS;
          case ApiException.Unavailable u -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
    problem.setTitle(e.title());
    ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
    if (e instanceof ApiException.TooManyRequests t) {
      long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
      problem.setProperty("retryAfterMillis", t.retryAfter().toMillis());
    }
    return response.body(problem);
  }

  /* A process that did not answer, a pool with no worker, a supervisor that refused a child. */
  @ExceptionHandler({CallException.class, NoWorkerAvailableException.class, ChildException.class})
  ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "answering 503: " + e);
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
  }

  /* Anything else is a bug: logged with its stack trace here, never shown to the client. */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    LOG.log(System.Logger.Level.ERROR, "unexpected error", e);
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR, "unexpected error; see the server's log");
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
  }

  /* Malformed JSON, wrong types, unknown fields, a missing body, or a body over the size limit. */
  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    RequestSizeLimitFilter.BodyTooLargeException tooLarge = tooLarge(ex);
    if (tooLarge != null) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
      return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, readableCause(ex));
    return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  private static RequestSizeLimitFilter.@Nullable BodyTooLargeException tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RequestSizeLimitFilter.BodyTooLargeException b) {
        return b;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /* The parser's first line (it names the field and the problem), without Java class names. */
  private static String readableCause(HttpMessageNotReadableException ex) {
    Throwable cause = ex.getMostSpecificCause();
    String message = cause.getMessage();
    if (message == null || cause == ex) {
      return "the request body is missing or is not valid JSON";
    }
    String first = message.lines().findFirst().orElse(message);
    first = first.replaceAll("\\(class [^)]*\\)", "").replaceAll("`[a-z][\\w.$]*\\.", "`");
    return "the request body is not valid: " + first.strip();
  }
}

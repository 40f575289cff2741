package dev.supervision.sample.web;

import dev.supervision.core.balance.NoWorkerAvailableException;
import dev.supervision.core.server.CallException;
import dev.supervision.core.supervisor.ChildException;
import dev.supervision.sample.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error of the API as an RFC 9457 problem ({@code application/problem+json}, whatever the
 * request's {@code Accept} says), completed by {@link Problems#complete}: the application's own
 * answers ({@link ApiException}), Spring MVC's (malformed JSON, wrong types, unknown fields, wrong
 * method or media type, missing resources), a malformed multipart body or query string, and, should
 * anything else escape, a 500 without a stack trace. No detail shows a Java class, a parser setting
 * or an exception's message from the runtime: those go to the log.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
  private static final System.Logger LOG = System.getLogger(ApiExceptionHandler.class.getName());

  /* The parser's token names, as the JSON they stand for. */
  private static final String[][] TOKENS = {
    {"VALUE_STRING", "a string"},
    {"VALUE_NUMBER_INT", "a number"},
    {"VALUE_NUMBER_FLOAT", "a number"},
    {"VALUE_TRUE", "true"},
    {"VALUE_FALSE", "false"},
    {"VALUE_NULL", "null"},
    {"PROPERTY_NAME", "a property name"},
    {"START_OBJECT", "'{'"},
    {"END_OBJECT", "'}'"},
    {"START_ARRAY", "'['"},
    {"END_ARRAY", "']'"}
  };

  @ExceptionHandler(ApiException.class)
  @Nullable ResponseEntity<Object> api(ApiException e, WebRequest request) {
    HttpStatus status =
        switch (e) {
          case ApiException.NotFound n -> HttpStatus.NOT_FOUND;
          case ApiException.Conflict c -> HttpStatus.CONFLICT;
          case ApiException.BadRequest b -> HttpStatus.BAD_REQUEST;
          case ApiException.TooManyRequests t -> HttpStatus.TOO_MANY_REQUESTS;
          case ApiException.LimitReached l -> HttpStatus.TOO_MANY_REQUESTS;
          case ApiException.Unavailable u -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    String detail = String.valueOf(e.getMessage());
    if (e instanceof ApiException.Unavailable) {
      // The application's summary is shown; the runtime's reason after it only in the log.
      LOG.log(System.Logger.Level.WARNING, "answering 503: " + detail);
      int reason = detail.indexOf(": ");
      detail = (reason < 0 ? detail : detail.substring(0, reason)) + "; try again";
    }
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(e.title());
    HttpHeaders headers = new HttpHeaders();
    if (e instanceof ApiException.TooManyRequests t) {
      long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
      headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
      problem.setProperty("retryAfterMillis", t.retryAfter().toMillis());
    }
    return handleExceptionInternal(e, problem, headers, status, request);
  }

  /*
   * A process that did not answer, a pool with no worker, a supervisor that refused a child. The
   * runtime's message (pids, durations, the request) goes to the log, not to the client.
   */
  @ExceptionHandler({CallException.class, NoWorkerAvailableException.class, ChildException.class})
  @Nullable ResponseEntity<Object> unavailable(RuntimeException e, WebRequest request) {
    LOG.log(System.Logger.Level.WARNING, "answering 503: " + e);
    String detail =
        switch (e) {
          case CallException.Timeout t -> "a server did not answer in time; try again";
          case CallException c -> "a server stopped before it answered; try again";
          case NoWorkerAvailableException n -> "no worker is available; try again";
          default -> "a server could not be started; try again";
        };
    return problem(e, HttpStatus.SERVICE_UNAVAILABLE, detail, request);
  }

  /* A multipart body without a boundary, or one that does not follow it (the API takes none). */
  @ExceptionHandler(MultipartException.class)
  @Nullable ResponseEntity<Object> multipart(MultipartException e, WebRequest request) {
    if (e instanceof MaxUploadSizeExceededException) {
      return problem(e, HttpStatus.CONTENT_TOO_LARGE, "the request body is too large", request);
    }
    return problem(
        e,
        HttpStatus.BAD_REQUEST,
        "the multipart body could not be read: a multipart Content-Type needs a boundary, and the"
            + " body must be divided by it",
        request);
  }

  /* Tomcat could not decode the query string or form (not UTF-8, a bad escape, too many). */
  @ExceptionHandler(InvalidParameterException.class)
  @Nullable ResponseEntity<Object> parameters(InvalidParameterException e, WebRequest request) {
    HttpStatus status = HttpStatus.resolve(e.getErrorCode());
    if (status == null || !status.is4xxClientError()) {
      status = HttpStatus.BAD_REQUEST;
    }
    String detail =
        status == HttpStatus.BAD_REQUEST
            ? "the query string could not be decoded: parameters must be percent-encoded UTF-8"
            : "the query string has too many parameters or is too long";
    return problem(e, status, detail, request);
  }

  /* Spring Security's firewall refused a header value it was asked for (a control character). */
  @ExceptionHandler(RequestRejectedException.class)
  @Nullable ResponseEntity<Object> rejected(RequestRejectedException e, WebRequest request) {
    return problem(
        e,
        HttpStatus.BAD_REQUEST,
        "the request has a header value with characters that are not allowed",
        request);
  }

  /* Anything else is a bug: logged with its stack trace here, never shown to the client. */
  @ExceptionHandler(Exception.class)
  @Nullable ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
    LOG.log(System.Logger.Level.ERROR, "unexpected error", e);
    return problem(
        e, HttpStatus.INTERNAL_SERVER_ERROR, "unexpected error; see the server's log", request);
  }

  /* Malformed JSON, wrong types, unknown fields, a missing body, or a body over the size limit. */
  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    RequestSizeLimitFilter.BodyTooLargeException tooLarge =
        cause(ex, RequestSizeLimitFilter.BodyTooLargeException.class);
    if (tooLarge != null) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
      return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describe(ex));
    return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  /* A path no controller or static resource answers: not worded as a missing static file. */
  @Override
  protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(
      NoResourceFoundException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "no such resource");
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  /* The media types a resource gives, without their parameters (which name protobuf classes). */
  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(
      HttpMediaTypeNotAcceptableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<MediaType> supported = ex.getSupportedMediaTypes();
    String detail =
        supported.isEmpty()
            ? "the Accept header could not be parsed"
            : "the Accept header lists no media type this resource gives; it gives "
                + supported.stream()
                    .map(type -> type.getType() + "/" + type.getSubtype())
                    .distinct()
                    .collect(Collectors.joining(", "));
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  /*
   * Every answer of this class passes here: the problem gets its type and instance, and is written
   * as application/problem+json even to a client whose Accept header does not list it (or cannot
   * be parsed), rather than turned into an empty 406 or 500.
   */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    HttpHeaders copy = new HttpHeaders();
    copy.putAll(headers);
    if (body instanceof ProblemDetail problem) {
      Problems.complete(problem, path(request));
      copy.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
    return super.createResponseEntity(body, copy, statusCode, request);
  }

  private @Nullable ResponseEntity<Object> problem(
      Exception e, HttpStatus status, String detail, WebRequest request) {
    return handleExceptionInternal(
        e, ProblemDetail.forStatusAndDetail(status, detail), new HttpHeaders(), status, request);
  }

  private static @Nullable String path(WebRequest request) {
    if (request instanceof NativeWebRequest n
        && n.getNativeRequest() instanceof HttpServletRequest servlet) {
      return servlet.getRequestURI();
    }
    return null;
  }

  /*
   * What is wrong with the body, in the API's words: the parser's message names classes, settings
   * and tokens, so only its gist is kept (where the JSON breaks, which field has the wrong type,
   * which field is unknown).
   */
  private static String describe(HttpMessageNotReadableException ex) {
    JacksonException jackson = cause(ex, JacksonException.class);
    if (jackson == null) {
      return cause(ex, IOException.class) != null
          ? "the request body could not be read"
          : "the request body is missing";
    }
    return switch (jackson) {
      case UnrecognizedPropertyException u ->
          "unknown field '" + u.getPropertyName() + "'" + known(u.getKnownPropertyIds());
      case MismatchedInputException m -> mismatched(m);
      case StreamConstraintsException c ->
          "the request body is nested too deeply, or has a name, number or string too long";
      case StreamReadException r -> "the request body is not valid JSON: " + syntax(r);
      default -> "the request body does not have the expected fields";
    };
  }

  private static String mismatched(MismatchedInputException m) {
    String message = String.valueOf(m.getOriginalMessage());
    if (message.startsWith("Trailing token")) {
      return "the request body has more after its JSON value";
    }
    String field = field(m.getPath());
    if (field.isEmpty()) {
      return "the request body must be a JSON object";
    }
    return "field '" + field + "' must be " + expected(m.getTargetType());
  }

  private static String field(List<JacksonException.Reference> path) {
    StringBuilder field = new StringBuilder();
    for (JacksonException.Reference reference : path) {
      if (reference.getPropertyName() != null) {
        field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        field.append('[').append(reference.getIndex()).append(']');
      }
    }
    return field.toString();
  }

  private static String expected(@Nullable Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type)
        || (type.isPrimitive() && type != boolean.class && type != char.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  private static String known(@Nullable Collection<Object> ids) {
    if (ids == null || ids.isEmpty()) {
      return "";
    }
    return "; the fields are "
        + ids.stream().map(id -> "'" + id + "'").sorted().collect(Collectors.joining(", "));
  }

  /* The parser's complaint without its source description, and where in the body it is. */
  private static String syntax(StreamReadException r) {
    String message = String.valueOf(r.getOriginalMessage()).lines().findFirst().orElse("");
    for (String cut : new String[] {" (start marker at", "[Source", " at ["}) {
      int at = message.indexOf(cut);
      if (at >= 0) {
        message = message.substring(0, at);
      }
    }
    for (String[] token : TOKENS) {
      message = message.replace(token[0], token[1]);
    }
    message = message.replaceAll("`[^`]*`", "").replaceAll("\\s+", " ").strip();
    if (message.endsWith(":") || message.endsWith(",")) {
      message = message.substring(0, message.length() - 1);
    }
    TokenStreamLocation location = r.getLocation();
    if (location != null && location.getLineNr() > 0) {
      message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
    return message;
  }

  private static <T extends Throwable> @Nullable T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}

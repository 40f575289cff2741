package dev.supervision.sample.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The one shape of every error answer: an RFC 9457 problem with {@code type} ({@code about:blank}),
 * {@code title}, {@code status}, {@code detail} and {@code instance} (the request's path), as
 * {@code application/problem+json}. Spring MVC's answers are completed with {@link #complete}; the
 * filters, the socket handshake and Tomcat's error report, which write outside Spring MVC, use
 * {@link #write} or {@link #json}.
 */
final class Problems {
  static final URI TYPE = URI.create("about:blank");

  private static final String HEX = "0123456789ABCDEF";

  private Problems() {}

  /** Fills in what {@code problem} lacks: type, title, detail and instance. */
  static ProblemDetail complete(ProblemDetail problem, @Nullable String path) {
    HttpStatus status = HttpStatus.resolve(problem.getStatus());
    String reason = status == null ? "Error" : status.getReasonPhrase();
    if (problem.getType() == null) {
      problem.setType(TYPE);
    }
    if (problem.getTitle() == null) {
      problem.setTitle(reason);
    }
    if (problem.getDetail() == null || problem.getDetail().isBlank()) {
      problem.setDetail(reason);
    }
    if (problem.getInstance() == null) {
      problem.setInstance(instance(path));
    }
    return problem;
  }

  /**
   * The request's path as a URI reference, whatever it holds: the path as it came, undecoded, with
   * every character a URI may not hold (and a {@code %} that starts no escape) percent-encoded as
   * UTF-8. A missing path is {@code /}; one that starts with {@code //} gets {@code /.} ahead.
   */
  static URI instance(@Nullable String path) {
    if (path == null || path.isEmpty()) {
      return URI.create("/");
    }
    StringBuilder safe = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); ) {
      int c = path.codePointAt(i);
      if (c == '%'
          && i + 2 < path.length()
          && isHex(path.charAt(i + 1))
          && isHex(path.charAt(i + 2))) {
        safe.append(path, i, i + 3);
        i += 3;
        continue;
      }
      if (c < 0x80 && isUriChar((char) c)) {
        safe.append((char) c);
      } else {
        for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
          safe.append('%').append(HEX.charAt((b >> 4) & 0xF)).append(HEX.charAt(b & 0xF));
        }
      }
      i += Character.charCount(c);
    }
    // A path may not start with "//", which would read as an authority: "/." keeps it a path.
    return URI.create(safe.indexOf("//") == 0 ? "/." + safe : safe.toString());
  }

  /**
   * The detail of an error the container answers without saying why (a refused request line, a
   * security filter's status, a refused socket handshake): what the status means on {@code path}.
   */
  static String detail(int status, @Nullable String path) {
    HttpStatus resolved = HttpStatus.resolve(status);
    if (resolved == null) {
      return "Error";
    }
    if (path != null && path.startsWith(RoomSockets.PATH)) {
      switch (resolved) {
        case BAD_REQUEST, METHOD_NOT_ALLOWED -> {
          return "a room socket opens with a GET carrying 'Upgrade: websocket', 'Connection:"
              + " Upgrade', a 'Sec-WebSocket-Key' and 'Sec-WebSocket-Version: 13'";
        }
        case FORBIDDEN -> {
          return "a room socket opens only from a page of this server's origin";
        }
        case UPGRADE_REQUIRED -> {
          return "a room socket needs WebSocket version 13";
        }
        default -> {
          // as anywhere else
        }
      }
    }
    return switch (resolved) {
      case BAD_REQUEST ->
          "the request is malformed or not allowed (for example an unknown method, a path with an"
              + " encoded '/', '..' or a NUL byte, or a header that is not valid)";
      case UNAUTHORIZED -> "this operation needs the administrator's credentials (HTTP basic)";
      case FORBIDDEN -> "this operation is reserved to the administrator";
      case NOT_FOUND -> "no such resource";
      case CONTENT_TOO_LARGE -> "the request body is too large";
      case INTERNAL_SERVER_ERROR -> "unexpected error; see the server's log";
      default -> resolved.getReasonPhrase();
    };
  }

  /** A complete problem as JSON text. */
  static String json(int status, String detail, @Nullable String path) {
    HttpStatus resolved = HttpStatus.resolve(status);
    String title = resolved == null ? "Error" : resolved.getReasonPhrase();
    return "{\"type\":\""
        + TYPE
        + "\",\"title\":"
        + quote(title)
        + ",\"status\":"
        + status
        + ",\"detail\":"
        + quote(detail)
        + ",\"instance\":"
        + quote(instance(path).toString())
        + "}";
  }

  /**
   * Answers {@code status} with a complete problem, replacing whatever the response held; does
   * nothing if the response is already committed.
   */
  static void write(HttpServletResponse response, int status, String detail, @Nullable String path)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    byte[] body = json(status, detail, path).getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /* A JSON string literal. */
  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /* RFC 3986's path characters: unreserved, sub-delims, ':', '@' and '/'. */
  private static boolean isUriChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
  }
}

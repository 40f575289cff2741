package dev.supervision.sample;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import tools.jackson.databind.JsonNode;

/**
 * Random requests over the whole HTTP surface of the sample app, from a seed: methods, paths (with
 * odd segments and percent-encodings), query parameters, content types (malformed ones, multipart
 * without a boundary, charsets that do not exist), content and transfer encodings, bodies from
 * valid JSON to garbage and past the size limit, and odd headers. Half the requests are near-valid
 * calls of the real endpoints, so that they reach the controllers and the binding rather than stop
 * at the parser.
 *
 * <p>{@link #check} says what is wrong with an answer: a 5xx (except those the HTTP RFCs prescribe:
 * 501 for CONNECT or a transfer coding the server does not implement, 505 for a protocol version it
 * does not support), or an error that is not an RFC 9457 problem with {@code type}, {@code title},
 * {@code status}, {@code detail} and {@code instance}, or whose text shows the server's internals
 * ({@link Api#LEAK}). One error has no body at all and is let through: an {@code OPTIONS *} that
 * Tomcat's connector refuses itself.
 */
final class HttpFuzzer {
  /**
   * The names that exist on the server, so that some requests reach real resources.
   *
   * @param user a registered user
   * @param room a room
   * @param counter a counter
   * @param admin the administrator's basic credentials
   */
  record Known(String user, String room, String counter, String admin) {}

  /**
   * A request to send.
   *
   * @param bytes exactly what goes on the wire
   * @param head whether it is a HEAD request (its answer has no body)
   * @param expected5xx the 5xx it must get instead of a 4xx, or 0
   * @param serverWide whether it asks about the server as a whole ({@code OPTIONS *})
   */
  @SuppressWarnings("ArrayRecordComponent") // the bytes as sent: never compared or hashed
  record Request(byte[] bytes, boolean head, int expected5xx, boolean serverWide) {
    /** The request line and headers, printable, for a failure message. */
    String summary() {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      head = head.length() > 600 ? head.substring(0, 600) + "..." : head;
      return head.replace("\r\n", " | ")
          + (end < 0 ? "" : " || " + Math.max(0, bytes.length - end - 4) + " body bytes");
    }
  }

  private static final String[] METHODS = {
    "GET",
    "GET",
    "GET",
    "POST",
    "POST",
    "POST",
    "POST",
    "PUT",
    "PUT",
    "PATCH",
    "DELETE",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "FOO",
    "get",
    "PROPFIND"
  };

  private static final String[] TEMPLATES = {
    "/",
    "/index.html",
    "/app.js",
    "/style.css",
    "/favicon.ico",
    "/error",
    "/api",
    "/api/",
    "/api/users",
    "/api/users/{user}",
    "/api/rooms",
    "/api/rooms/",
    "/api/rooms/{room}",
    "/api/rooms/{room}/messages",
    "/api/rooms/{room}/messages/",
    "/api/rooms/{any}/crash",
    "/api/counters",
    "/api/counters/{counter}",
    "/api/counters/{counter}/increment",
    "/api/counters/{any}/crash",
    "/api/workers",
    "/api/baseline/counters/{counter}/increment",
    "/api/baseline/counters/{counter}",
    "/api/baseline/rooms/{room}/messages",
    "/actuator",
    "/actuator/health",
    "/actuator/health/{any}",
    "/actuator/info",
    "/actuator/prometheus",
    "/actuator/supervisors",
    "/actuator/supervisors/{supervisor}",
    "/actuator/{any}",
    "/ws/rooms/{room}",
    "/ws/rooms/",
    "/ws/{any}",
    "/{any}",
    "/{any}/{any}",
    "/api/{any}"
  };

  /* Path segments: each is written into the request target as is. */
  private static final String[] ODD_SEGMENTS = {
    "",
    "%2F",
    "a%2Fb",
    "%00",
    "a%00b",
    "%2e%2e",
    "..",
    ".",
    "...",
    "a;b",
    "a;jsessionid=1",
    ";",
    "%ZZ",
    "%",
    "%4",
    "%C3%28",
    "%FF%FE",
    "%E2%82%AC",
    "%C3%A9",
    "a%20b",
    "a+b",
    "%5C",
    "%25",
    "%3F",
    "%23",
    "%2e",
    "..%2F",
    "%u0041",
    "a%0Ab",
    "a%0D%0Ab",
    "%7B%7D",
    "~",
    "null",
    "-",
    "_",
    "x".repeat(33),
    "x".repeat(300),
    "x".repeat(9000),
    "%C0%AF",
    "%E0%80%80",
    "%F4%90%80%80",
    "%ED%A0%80"
  };

  /* Characters the request target must not hold raw; the server must refuse them. */
  private static final String[] RAW_ODDITIES = {
    "\\", "|", "{", "}", "\"", "<", ">", "^", "`", "\u00e9", "\u0085", "\u00ff", "\t", " x"
  };

  private static final String[] CONTENT_TYPES = {
    "application/json",
    "application/json",
    "application/json",
    "application/json;charset=UTF-8",
    "application/json; charset=utf-8",
    "application/json;charset=ISO-8859-1",
    "application/json;charset=UTF-16",
    "application/json;charset=UTF-32BE",
    "application/json;charset=foo",
    "application/json;charset=",
    "application/json;charset=\"\"",
    "application/json;charset=\"utf-8",
    "application/json;charset=ut\u00e9f-8",
    "application/json;charset=x-unknown-123",
    "application/json;;",
    "application/json; charset",
    "application/json;q=abc",
    "application/json, text/plain",
    "application/problem+json",
    "application/merge-patch+json",
    "application/vnd.foo+json",
    "application/*+json",
    "application/*",
    "*/*",
    "multipart/form-data",
    "multipart/form-data",
    "multipart/form-data;",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=\"\"",
    "multipart/form-data; boundary=" + "b".repeat(100),
    "multipart/form-data; charset=foo",
    "multipart/form-data; boundary=fuzz",
    "multipart/form-data; boundary=fuzz",
    "multipart/mixed",
    "multipart/mixed; boundary=fuzz",
    "multipart/",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded;charset=foo",
    "application/x-www-form-urlencoded;charset=UTF-16",
    "text/plain",
    "text/plain;charset=foo",
    "text/html",
    "application/xml",
    "application/octet-stream",
    "",
    "garbage",
    "/",
    "application/",
    "/json",
    "application/json/extra",
    "\u00e9/\u00e9",
    "application/json; boundary=fuzz",
    "application/json\u0085"
  };

  private static final String[] ACCEPTS = {
    "application/json",
    "application/json",
    "*/*",
    "application/problem+json",
    "text/html",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/xml",
    "image/png",
    "text/plain",
    "garbage",
    "application/json;q=abc",
    "application/json;q=2",
    ";;;",
    "*/json",
    "text/event-stream",
    "application/x-ndjson",
    "application/openmetrics-text",
    "application/vnd.spring-boot.actuator.v3+json",
    "application/json;charset=foo"
  };

  private static final String[] CONTENT_ENCODINGS = {
    "gzip", "deflate", "br", "identity", "compress", "x-garbage", "gzip, deflate", ""
  };

  private static final String[] TRANSFER_ENCODINGS = {"gzip, chunked", "x-garbage", "deflate"};

  private static final String[] PROTOCOLS = {"HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTP/1.x"};

  /* The real endpoints, with their methods: the near-valid requests call these. */
  private static final String[] ENDPOINTS = {
    "POST /api/users",
    "POST /api/users",
    "GET /api/users/{user}",
    "POST /api/rooms",
    "GET /api/rooms",
    "GET /api/rooms/{room}",
    "POST /api/rooms/{room}/messages",
    "POST /api/rooms/{room}/messages",
    "POST /api/rooms/{room}/messages",
    "GET /api/rooms/{room}/messages",
    "GET /api/rooms/{room}/messages",
    "POST /api/rooms/{any}/crash",
    "GET /api/counters",
    "GET /api/counters/{counter}",
    "POST /api/counters/{counter}/increment",
    "POST /api/counters/{counter}/increment",
    "DELETE /api/counters/{counter}",
    "POST /api/counters/{any}/crash",
    "GET /api/workers",
    "POST /api/baseline/counters/{counter}/increment",
    "GET /api/baseline/counters/{counter}",
    "POST /api/baseline/rooms/{room}/messages",
    "GET /actuator/health",
    "GET /actuator/supervisors",
    "GET /actuator/supervisors/{supervisor}",
    "POST /actuator/supervisors/{supervisor}",
    "GET /actuator/prometheus",
    "GET /ws/rooms/{room}",
    "GET /ws/rooms/{room}",
    "GET /",
    "GET /app.js"
  };

  private final Random random;
  private boolean wild;
  private final int port;
  private final Known known;
  private int crashes;

  /**
   * @param crashes how many requests may crash a real room or counter (each is a restart for the
   *     shared application, whose supervisors tolerate a limited rate)
   */
  HttpFuzzer(long seed, int port, Known known, int crashes) {
    this.random = new Random(seed);
    this.port = port;
    this.known = known;
    this.crashes = crashes;
  }

  /** The next request. */
  Request next() {
    // Half the requests are near-valid calls of the real endpoints, so that they get past the
    // parser to the binding, the controllers and the servers; the other half are anything.
    wild = chance(50);
    String method;
    String target;
    if (wild) {
      method = pick(METHODS);
      target = target(pick(TEMPLATES));
    } else {
      String[] endpoint = pick(ENDPOINTS).split(" ", 2);
      method = odd(50) ? pick(METHODS) : endpoint[0];
      target = target(endpoint[1]);
    }
    String protocol = odd(3) ? pick(PROTOCOLS) : "HTTP/1.1";
    boolean head = method.equals("HEAD");
    // RFC 9110 15.6.2: 501 for a method the server does not implement for any resource.
    int expected5xx = method.equals("CONNECT") ? 501 : 0;
    if (expected5xx == 0 && (protocol.equals("HTTP/2.0") || protocol.equals("HTTP/9.9"))) {
      expected5xx = 505; // RFC 9110 15.6.6: a major version the server does not support
    }

    List<String> headers = new ArrayList<>();
    headers.add(host());
    if (chance(85)) {
      headers.add("Accept: " + (odd(50) ? pick(ACCEPTS) : "application/json"));
    }
    String contentType = null;
    byte[] body = new byte[0];
    boolean bodied = (!method.equals("GET") && !head && !method.equals("DELETE")) || odd(5);
    if (bodied && chance(90)) {
      contentType = odd(50) ? pick(CONTENT_TYPES) : "application/json";
      body = body(target, contentType);
      if (!odd(8)) {
        headers.add("Content-Type: " + contentType);
      }
    }
    if (odd(8)) {
      headers.add("Content-Encoding: " + pick(CONTENT_ENCODINGS));
    }
    String transferEncoding = null;
    if (body.length > 0 && chance(15)) {
      transferEncoding = "chunked";
    } else if (expected5xx == 0 && odd(3)) {
      transferEncoding = pick(TRANSFER_ENCODINGS);
      expected5xx = 501; // RFC 9112 6.1: a transfer coding the server does not understand
    }
    if (transferEncoding != null) {
      headers.add("Transfer-Encoding: " + transferEncoding);
    } else if (body.length > 0 || chance(50)) {
      headers.add("Content-Length: " + body.length);
    }
    if (chance(2)) {
      headers.add(authorization()); // few: checking a password takes a while, on purpose
    }
    if (target.startsWith("/ws/") && !odd(40)) {
      headers.add("Upgrade: " + (odd(20) ? "h2c" : "websocket"));
      headers.add("Connection: Upgrade");
      if (!odd(20)) {
        headers.add(
            "Sec-WebSocket-Key: "
                + (odd(20) ? "not-a-key" : Base64.getEncoder().encodeToString(bytes(16))));
      }
      headers.add("Sec-WebSocket-Version: " + (odd(20) ? pick("8", "x", "") : "13"));
      if (odd(40)) {
        headers.add(
            "Origin: " + pick("http://127.0.0.1:" + port, "http://evil.example", "null", "%%"));
      }
    } else {
      headers.add("Connection: close");
    }
    if (odd(15)) {
      headers.add(oddHeader());
    }
    if (odd(5)) {
      headers.add("Expect: " + pick("100-continue", "100-continue", "garbage"));
    }

    ByteArrayOutputStream request = new ByteArrayOutputStream();
    write(request, method + " " + target + (protocol.isEmpty() ? "" : " " + protocol) + "\r\n");
    for (String header : headers) {
      write(request, header + "\r\n");
    }
    write(request, "\r\n");
    if (transferEncoding == null) {
      request.writeBytes(body);
    } else if (transferEncoding.equals("chunked")) {
      request.writeBytes(chunked(body));
    }
    return new Request(request.toByteArray(), head, expected5xx, target.equals("*"));
  }

  /**
   * What is wrong with {@code response} to {@code request}, or null if nothing is: a 5xx other than
   * the expected one, or an error that is not a complete problem, or that leaks internals.
   */
  static String check(Request request, RawHttp.Response response) {
    int status = response.status();
    if (status >= 500 && status != request.expected5xx()) {
      return "answered " + status + ": " + abbreviate(response.text());
    }
    if (status < 400 || request.head()) {
      return null;
    }
    if (request.serverWide() && response.body().length == 0) {
      // Tomcat's connector answers OPTIONS * itself, before any valve: a refused one (a malformed
      // Host or protocol version) gets a status and no body, which the application cannot change.
      return null;
    }
    String type = response.header("content-type");
    if (!type.startsWith("application/problem+json")) {
      return status + " with Content-Type '" + type + "': " + abbreviate(response.text());
    }
    JsonNode problem;
    try {
      problem = Api.JSON.readTree(response.body());
    } catch (RuntimeException e) {
      return status + " with a body that is not JSON: " + abbreviate(response.text());
    }
    if (problem == null || !problem.isObject()) {
      return status + " with a body that is not a JSON object: " + abbreviate(response.text());
    }
    for (String field : new String[] {"type", "title", "detail", "instance"}) {
      if (!problem.path(field).isString() || problem.path(field).asString().isBlank()) {
        return status + " without '" + field + "': " + abbreviate(response.text());
      }
    }
    if (problem.path("status").asInt() != status) {
      return status + " with status " + problem.path("status") + " in the body";
    }
    if (Api.LEAK.matcher(response.text()).find()) {
      return status + " showing internals: " + abbreviate(response.text());
    }
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  // --- targets

  private String target(String template) {
    if (odd(2)) {
      return pick("*", "http://127.0.0.1:" + port + "/api/rooms", "api/rooms", "//api//rooms");
    }
    StringBuilder path = new StringBuilder();
    int at = 0;
    while (at < template.length()) {
      int open = template.indexOf('{', at);
      if (open < 0) {
        path.append(template, at, template.length());
        break;
      }
      int close = template.indexOf('}', open);
      path.append(template, at, open);
      path.append(segment(template.substring(open + 1, close), template.endsWith("/crash")));
      at = close + 1;
    }
    if (odd(4)) {
      path.append(pick("/", "//", ";x=y", "/.", "/..", "%2F", ".json", "?"));
    }
    if (odd(3)) {
      path.insert(random.nextInt(path.length() + 1), pick(RAW_ODDITIES));
    }
    if (template.endsWith("/messages") && chance(50)) {
      path.append('?').append(odd(50) ? query() : "limit=" + (1 + random.nextInt(20)));
    } else if (odd(30)) {
      path.append('?').append(query());
    }
    return path.toString();
  }

  private String segment(String kind, boolean crash) {
    if (odd(35)) {
      return chance(70) ? pick(ODD_SEGMENTS) : randomEncoded();
    }
    if (chance(wild ? 30 : 15)) {
      return name();
    }
    String real =
        switch (kind) {
          case "user" -> known.user();
          case "room" -> known.room();
          case "counter" -> known.counter();
          case "supervisor" -> pick("root", "rooms", "counters", "message-writers-pool", "nope");
          default -> pick(known.room(), known.counter(), "health", "supervisors", "rooms");
        };
    if (crash) {
      if (crashes <= 0) {
        return name();
      }
      crashes--;
    }
    return real;
  }

  private String name() {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789._-";
    int length = 1 + random.nextInt(12);
    StringBuilder name = new StringBuilder("f");
    for (int i = 1; i < length; i++) {
      name.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return name.toString();
  }

  private String randomEncoded() {
    StringBuilder segment = new StringBuilder();
    int length = 1 + random.nextInt(6);
    for (int i = 0; i < length; i++) {
      segment.append(String.format("%%%02X", random.nextInt(256)));
    }
    return segment.toString();
  }

  private String query() {
    List<String> params = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      params.add(
          switch (random.nextInt(7)) {
            case 0, 1 ->
                "limit="
                    + pick(
                        "1",
                        "50",
                        "500",
                        "501",
                        "0",
                        "-1",
                        "abc",
                        "",
                        "1e3",
                        "99999999999999999999",
                        "0x10",
                        "1.5",
                        "%20",
                        "%ZZ",
                        Integer.toString(random.nextInt(2000) - 500));
            case 2 ->
                "before="
                    + pick(
                        "1",
                        "0",
                        "-1",
                        "abc",
                        "",
                        "9223372036854775807",
                        "9223372036854775808",
                        "%00",
                        Long.toString(random.nextLong()));
            case 3 -> pick("x=y", "%ZZ=1", "a=%", "=", "&", "a=b=c", "limit", "limit=1&limit=2");
            case 4 -> "q=" + "v".repeat(random.nextInt(3) == 0 ? 5000 : 10);
            case 5 ->
                "after="
                    + pick(
                        "0",
                        "1",
                        "-1",
                        "abc",
                        "",
                        "%31",
                        "99999999999999999999",
                        "9223372036854775807",
                        Integer.toString(random.nextInt(1000)));
            default -> name() + "=" + randomEncoded();
          });
    }
    return String.join("&", params);
  }

  // --- headers

  private String host() {
    if (odd(3)) {
      return pick("Host: ", "Host: bad host", "Host: [::1", "Host: a:b:c", "X-No-Host: 1");
    }
    if (odd(2)) {
      return "Host: 127.0.0.1:" + port + "\r\nHost: example.com";
    }
    return "Host: 127.0.0.1:" + port;
  }

  private String authorization() {
    return "Authorization: "
        + pick(
            known.admin(),
            known.admin(),
            "Basic !!!",
            "Basic "
                + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8)),
            "Basic",
            "Bearer x.y.z",
            "Digest x",
            "");
  }

  private String oddHeader() {
    return pick(
        "Accept-Language: " + pick(";;;q=x", "en-US;q=abc", "*-*", "xx-YYYYYYYYY", ""),
        "Accept-Charset: " + pick("foo", "utf-8;q=x", ""),
        "Cookie: " + pick("JSESSIONID=%%%; a", "=;=;", "a=\u00e9", "x=" + "y".repeat(5000)),
        "Range: " + pick("bytes=abc", "bytes=100-50", "bytes=0-1,2-3", "bytes=-0", "lines=1-2"),
        "If-Modified-Since: " + pick("garbage", "Thu, 01 Jan 1970 00:00:00 GMT", ""),
        "If-None-Match: " + pick("\"x\"", "*", "garbage", "W/"),
        "X-Odd: a\u0085b",
        "Accept: application/json\u0085",
        "Accept: application/\tjson",
        "If-None-Match: \"\u0001\"",
        "X-Odd: caf\u00e9",
        "X-Odd: " + "z".repeat(10_000),
        "Bad Header: x",
        "X-Folded: a\r\n b",
        ": no name",
        "X-Forwarded-For: " + pick("1.2.3.4", "garbage", "::1, x"),
        "X-Forwarded-Proto: " + pick("https", "garbage"),
        "Forwarded: " + pick("for=\"[::1]\";proto=https", "garbage=\"", ""),
        "Origin: " + pick("http://evil.example", "null", "%%"),
        "Content-Length: " + pick("abc", "-1", "1, 2"),
        "Content-Type: application/json",
        "Authorization: Basic Og==");
  }

  // --- bodies

  private byte[] body(String target, String contentType) {
    String type = contentType.toLowerCase(Locale.ROOT);
    if (odd(6)) {
      return utf8("{\"content\":\"" + "x".repeat(65 * 1024) + "\"}");
    }
    if (odd(8)) {
      return new byte[0];
    }
    if (type.startsWith("multipart/") && chance(70)) {
      return multipart(target);
    }
    if (type.startsWith("application/x-www-form-urlencoded") && chance(70)) {
      return utf8(
          pick(
              "username=" + name() + "&name=" + name(),
              "user=" + known.user() + "&content=hi",
              "a=%ZZ&b",
              "=&=&",
              "%",
              "x=" + "y".repeat(1000)));
    }
    String json = json(target);
    if (chance(35)) {
      json = mutate(json);
    }
    if (type.contains("utf-16") && chance(50)) {
      return json.getBytes(StandardCharsets.UTF_16);
    }
    if (odd(5)) {
      byte[] raw = utf8(json);
      byte[] broken = new byte[raw.length + 2];
      System.arraycopy(raw, 0, broken, 0, raw.length);
      broken[raw.length] = (byte) 0xC3;
      broken[raw.length + 1] = (byte) 0x28;
      return broken;
    }
    if (odd(3)) {
      return bytes(1 + random.nextInt(200));
    }
    return utf8(json);
  }

  private String json(String target) {
    if (target.contains("/messages")) {
      return Api.json(
          java.util.Map.of(
              "user",
              chance(70) ? known.user() : name(),
              "content",
              pick(
                  "hello",
                  "\u00e9t\u00e9 \uD83D\uDE00",
                  "<b>bold</b>",
                  "   ",
                  "",
                  "tab\tnew\nline\u0000",
                  "y".repeat(4000),
                  "y".repeat(4001))));
    }
    if (target.contains("/users")) {
      return Api.json(java.util.Map.of("username", name()));
    }
    if (target.contains("/rooms")) {
      return Api.json(java.util.Map.of("name", name()));
    }
    if (target.contains("/actuator/supervisors")) {
      return Api.json(
          java.util.Map.of(
              "child",
              pick("nope", "<0.999999.0>", "123456789", ""),
              "action",
              pick("restart", "terminate", "explode", "")));
    }
    return pick("{}", "{\"name\":\"" + name() + "\"}", "[]", "null", "1");
  }

  private String mutate(String json) {
    return switch (random.nextInt(14)) {
      case 0 -> json.substring(0, random.nextInt(json.length() + 1));
      case 1 -> json.replaceFirst("\"[^\"]*\"(?=\\s*[,}])", pick("5", "true", "null", "[]", "{}"));
      case 2 -> json.replaceFirst("\\{", "{\"unknown\":1,");
      case 3 -> json + pick(" trailing", "{}", "]", " 1");
      case 4 -> "[".repeat(3000) + "]".repeat(3000);
      case 5 -> "{\"a\":".repeat(1500) + "1" + "}".repeat(1500);
      case 6 -> json.replaceFirst("\\{", "{\"n\":1e999999,");
      case 7 -> json.replaceFirst("\\{", "{\"n\":" + "9".repeat(2000) + ",");
      case 8 -> "\uFEFF" + json;
      case 9 -> json.replace("\"", "'");
      case 10 -> json.replaceFirst(":", ":\"\\uD800\\u00\",\"x\":");
      case 11 -> json.replaceFirst("\\{", "{\"" + "k".repeat(60_000) + "\":1,");
      case 12 -> json.replace(",", ",,");
      default -> json.replaceFirst("\\{", "{\"content\":\"\\u0000\",");
    };
  }

  private byte[] multipart(String target) {
    String part =
        target.contains("/messages")
            ? "Content-Disposition: form-data; name=\"content\"\r\n\r\nhi"
            : "Content-Disposition: form-data; name=\"username\"; filename=\"a.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + json(target);
    return utf8(
        pick(
            "--fuzz\r\n" + part + "\r\n--fuzz--\r\n",
            "--fuzz\r\n" + part + "\r\n",
            "--other\r\n" + part + "\r\n--other--\r\n",
            "--fuzz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--fuzz--\r\n",
            "not multipart at all",
            "--fuzz\r\n\r\n--fuzz--"));
  }

  private static byte[] chunked(byte[] body) {
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int length = Math.min(4096, body.length - at);
      chunks.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunks.write(body, at, length);
      chunks.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      at += length;
    }
    chunks.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return chunks.toByteArray();
  }

  // --- randomness

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  /* Something odd: as likely as said in a wild request, a fifth as likely in a near-valid one. */
  private boolean odd(int percent) {
    return random.nextInt(wild ? 100 : 500) < percent;
  }

  @SafeVarargs
  private <T> T pick(T... values) {
    return values[random.nextInt(values.length)];
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /* Headers and the request line as ISO-8859-1, as they go on the wire. */
  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}

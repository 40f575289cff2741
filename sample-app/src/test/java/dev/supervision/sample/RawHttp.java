package dev.supervision.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket: the request goes out byte for byte as given (HttpClient would
 * refuse or normalise odd methods, paths, headers and framings), and the answer is parsed as a
 * client would, skipping interim 1xx answers and decoding a chunked body.
 */
final class RawHttp {
  private static final int TIMEOUT_MS = 10_000;

  private RawHttp() {}

  /**
   * An answer.
   *
   * @param status the final status code (101 for an upgrade)
   * @param headers each header as {@code name: value}, names lower-cased
   * @param body the body, decoded from chunks if it came chunked
   */
  @SuppressWarnings("ArrayRecordComponent") // the body as received: never compared or hashed
  record Response(int status, List<String> headers, byte[] body) {
    /** The first value of header {@code name}, or "". */
    String header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      for (String header : headers) {
        if (header.startsWith(prefix)) {
          return header.substring(prefix.length()).strip();
        }
      }
      return "";
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends {@code request} on a new connection and reads the answer. A HEAD request's answer has no
   * body, whatever its headers say.
   */
  static Response exchange(int port, byte[] request, boolean head) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before taking the whole request (a 413, a 400 on the
        // request line): the answer is still there to read.
      }
      InputStream in = socket.getInputStream();
      while (true) {
        String statusLine = line(in);
        if (statusLine == null) {
          throw new IOException("the connection closed without an answer");
        }
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
          throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String> headers = new ArrayList<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
          int colon = header.indexOf(':');
          headers.add(
              colon < 0
                  ? header
                  : header.substring(0, colon).toLowerCase(Locale.ROOT)
                      + ":"
                      + header.substring(colon + 1));
        }
        if (status >= 100 && status < 200 && status != 101) {
          continue; // 100 Continue and friends: the final answer follows
        }
        Response response = new Response(status, headers, new byte[0]);
        if (head || status == 101 || status == 204 || status == 304) {
          return response;
        }
        byte[] body;
        if (response.header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
          body = chunked(in);
        } else if (!response.header("content-length").isEmpty()) {
          body = in.readNBytes(Integer.parseInt(response.header("content-length")));
        } else {
          body = in.readAllBytes();
        }
        return new Response(status, headers, body);
      }
    }
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      if (size == null) {
        throw new IOException("the chunked body ended without its last chunk");
      }
      int semicolon = size.indexOf(';');
      int length =
          Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
      if (length == 0) {
        for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
          // trailers are not used
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(length));
      line(in);
    }
  }

  /* A line ended by CRLF (or LF), as ISO-8859-1; null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}

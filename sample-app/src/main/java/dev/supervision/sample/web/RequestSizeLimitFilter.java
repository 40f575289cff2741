package dev.supervision.sample.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits request bodies to {@value #MAX_BYTES} bytes, enough for the longest message however it is
 * encoded. A declared {@code Content-Length} over the limit is answered 413 at once, before the
 * body is read; a body without one (chunked) fails as soon as it passes the limit, which the
 * exception handler answers 413 too. Both as problem details.
 */
final class RequestSizeLimitFilter extends OncePerRequestFilter {
  /** The largest request body accepted. */
  static final int MAX_BYTES = 64 * 1024;

  /** Registers the filter first, ahead of security, for every path. */
  static FilterRegistrationBean<RequestSizeLimitFilter> registration() {
    FilterRegistrationBean<RequestSizeLimitFilter> bean =
        new FilterRegistrationBean<>(new RequestSizeLimitFilter());
    bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
    bean.addUrlPatterns("/*");
    return bean;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > MAX_BYTES) {
      response.setHeader("Connection", "close");
      Problems.write(
          response,
          HttpStatus.CONTENT_TOO_LARGE.value(),
          "the request body has " + declared + " bytes; the limit is " + MAX_BYTES,
          request.getRequestURI());
      return;
    }
    chain.doFilter(declared < 0 ? new Limited(request) : request, response);
  }

  /** A body that passed the limit while being read. */
  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException() {
      super("the request body is larger than the limit of " + MAX_BYTES + " bytes");
    }
  }

  /* A request whose body stream fails once more than MAX_BYTES have been read. */
  private static final class Limited extends HttpServletRequestWrapper {
    private Limited(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      ServletInputStream in = super.getInputStream();
      return new ServletInputStream() {
        private long read;

        @Override
        public int read() throws IOException {
          int b = in.read();
          if (b >= 0) {
            count(1);
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = in.read(buffer, offset, length);
          if (n > 0) {
            count(n);
          }
          return n;
        }

        private void count(int n) throws BodyTooLargeException {
          read += n;
          if (read > MAX_BYTES) {
            throw new BodyTooLargeException();
          }
        }

        @Override
        public boolean isFinished() {
          return in.isFinished();
        }

        @Override
        public boolean isReady() {
          return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
          in.setReadListener(listener);
        }
      };
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }
}

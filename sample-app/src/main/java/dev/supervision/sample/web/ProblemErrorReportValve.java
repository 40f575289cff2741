package dev.supervision.sample.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last-resort error report as a problem detail rather than an HTML page. Tomcat answers
 * some requests itself, before the application sees them, such as a path with an encoded {@code /}
 * or a NUL byte (400), a TRACE (405), an unknown transfer coding (501) or HTTP version (505); and
 * parts of the application set an error status without a body (a refused socket handshake). This
 * valve makes those answers look like every other error of the API ({@link Problems}), with the
 * request's path as the instance. It never shows a stack trace or the server's version.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

  ProblemErrorReportValve() {
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        String path = request.getRequestURI();
        writer.write(Problems.json(status, Problems.detail(status, path), path));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response was taken meanwhile: nothing more to say
    }
  }
}

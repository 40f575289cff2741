package dev.supervision.sample.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervision.sample.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.ServletWebRequest;

/** What the exception handler answers for failures that a running application rarely shows. */
final class ApiExceptionHandlerTest {
  private final ApiExceptionHandler handler = new ApiExceptionHandler();

  private static ServletWebRequest request(String path) {
    return new ServletWebRequest(
        new MockHttpServletRequest("POST", path), new MockHttpServletResponse());
  }

  @Test
  void a503ShowsTheApplicationsSummaryAndLeavesTheRuntimesReasonToTheLog() {
    ResponseEntity<Object> response =
        handler.api(
            ApiException.unavailable(
                "room 'lobby' did not answer: call to <0.12> timed out after PT10S:"
                    + " Post[user=alice, content=hi]"),
            request("/api/rooms/lobby/messages"));

    assertThat(response).isNotNull();
    assertThat(response.getStatusCode().value()).isEqualTo(503);
    assertThat(response.getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    ProblemDetail problem = (ProblemDetail) response.getBody();
    assertThat(problem).isNotNull();
    assertThat(problem.getDetail()).isEqualTo("room 'lobby' did not answer; try again");
    assertThat(problem.getTitle()).isEqualTo("Service Unavailable");
    assertThat(problem.getType()).hasToString("about:blank");
    assertThat(problem.getInstance()).hasToString("/api/rooms/lobby/messages");
  }

  @Test
  void anUnexpectedErrorIs500WithoutTheExceptionsMessage() {
    ResponseEntity<Object> response =
        handler.unexpected(
            new IllegalStateException("java.lang.String at dev.supervision.Secret"),
            request("/api/users"));

    assertThat(response).isNotNull();
    ProblemDetail problem = (ProblemDetail) response.getBody();
    assertThat(problem).isNotNull();
    assertThat(problem.getStatus()).isEqualTo(500);
    assertThat(problem.getDetail()).isEqualTo("unexpected error; see the server's log");
    assertThat(problem.getInstance()).hasToString("/api/users");
  }
}

package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole HTTP surface under {@value #REQUESTS} random requests from a fixed seed (see {@link
 * HttpFuzzer}): none is answered 5xx, and every error is a complete problem that shows nothing of
 * the server's internals.
 */
@SampleAppTest
final class HttpFuzzTest {
  private static final long SEED = 14;
  private static final int REQUESTS = 1_500;
  private static final int SHOWN = 25;

  @LocalServerPort int port;

  @Test
  void noRequestIsAnswered5xxAndEveryErrorIsACompleteProblem() throws IOException {
    Api api = new Api(port);
    String counter = Api.unique("c");
    api.post("/api/counters/" + counter + "/increment");
    HttpFuzzer fuzzer =
        new HttpFuzzer(
            SEED,
            port,
            new HttpFuzzer.Known(
                api.user(),
                api.room(),
                counter,
                Api.basic(SampleAppTest.ADMIN, SampleAppTest.ADMIN_PASSWORD)),
            5);

    List<String> failures = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      HttpFuzzer.Request request = fuzzer.next();
      String failure;
      try {
        failure =
            HttpFuzzer.check(request, RawHttp.exchange(port, request.bytes(), request.head()));
      } catch (IOException e) {
        failure = "no answer: " + e.getMessage();
      }
      if (failure != null) {
        failures.add("#" + i + " " + request.summary() + "\n    -> " + failure);
      }
    }

    assertThat(failures)
        .as(
            "%d of %d requests were answered wrongly; the first:%n%s",
            failures.size(),
            REQUESTS,
            String.join("\n", failures.subList(0, Math.min(SHOWN, failures.size()))))
        .isEmpty();
  }
}

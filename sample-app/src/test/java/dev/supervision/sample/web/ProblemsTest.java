package dev.supervision.sample.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one problem shape, as written outside Spring MVC. */
final class ProblemsTest {

  @Test
  void theInstanceIsTheRawPathWithWhatAUriCannotHoldPercentEncoded() {
    assertThat(Problems.instance("/api/rooms/a%2Fb")).hasToString("/api/rooms/a%2Fb");
    assertThat(Problems.instance("/a b/%ZZ/\u00e9|\"<>{}"))
        .hasToString("/a%20b/%25ZZ/%C3%A9%7C%22%3C%3E%7B%7D");
    assertThat(Problems.instance("/%")).hasToString("/%25");
    assertThat(Problems.instance("//api//rooms")).hasToString("/.//api//rooms");
    assertThat(Problems.instance(null)).hasToString("/");
  }

  @Test
  void theJsonHasTheFiveMembersWithTheDetailEscaped() {
    JsonNode problem =
        JsonMapper.builder()
            .build()
            .readTree(Problems.json(400, "a \"quoted\" \\ and \u0001 control", "/x y"));

    assertThat(problem.get("type").asString()).isEqualTo("about:blank");
    assertThat(problem.get("title").asString()).isEqualTo("Bad Request");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("detail").asString()).isEqualTo("a \"quoted\" \\ and \u0001 control");
    assertThat(problem.get("instance").asString()).isEqualTo("/x%20y");
  }
}

package dev.supervision.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads series from {@code /actuator/prometheus}. */
final class Metrics {
  private Metrics() {}

  static String scrape(Api api) {
    Api.Response response = api.get("/actuator/prometheus");
    assertThat(response.status()).isEqualTo(200);
    return response.body();
  }

  /** {@code supervision_restarts_total} of one child, 0 if there is no such series. */
  static double restarts(Api api, String supervisor, String child) {
    return sum(
        scrape(api),
        "supervision_restarts_total",
        "child=\"" + child + "\"",
        "supervisor=\"" + supervisor + "\"");
  }

  /** The sum of the samples of {@code name} whose labels contain every one of {@code labels}. */
  static double sum(String scrape, String name, String... labels) {
    Pattern line =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)", Pattern.MULTILINE);
    Matcher m = line.matcher(scrape);
    double sum = 0;
    while (m.find()) {
      String set = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String label : labels) {
        all &= set.contains(label);
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}

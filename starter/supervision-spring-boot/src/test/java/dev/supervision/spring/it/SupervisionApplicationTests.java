package dev.supervision.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.supervision.core.balance.WorkerPool;
import dev.supervision.core.process.Pid;
import dev.supervision.core.server.ServerRef;
import dev.supervision.core.supervisor.ChildInfo;
import dev.supervision.core.supervisor.SupervisorRef;
import dev.supervision.spring.LoadBalancerNamed;
import dev.supervision.spring.SupervisorNamed;
import dev.supervision.spring.it.DemoApplication.Greeter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
    classes = DemoApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health,supervisors,prometheus",
      "management.endpoint.health.show-details=always",
      "supervision.supervisors.workers.strategy=one-for-one",
      "supervision.supervisors.workers.max-restarts=10",
      "supervision.supervisors.rooms.type=dynamic",
      "supervision.supervisors.rooms.parent=workers",
      "demo.counter.start=41",
      "supervision.registries.names.keys=unique",
      "supervision.load-balancers.counters.worker=counter",
      "supervision.load-balancers.counters.pool-size=2"
    })
final class SupervisionApplicationTests {
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Autowired
  @LoadBalancerNamed("counters")
  WorkerPool<Counter.Message> counters;

  @Autowired
  @SupervisorNamed("workers")
  SupervisorRef workers;

  @Test
  void healthShowsEverySupervisorUpWithItsChildren() throws Exception {
    String json = get("/actuator/health").body();
    assertThat(JsonPath.<String>read(json, "$.status")).isEqualTo("UP");
    assertThat(JsonPath.<String>read(json, "$.components.supervision.status")).isEqualTo("UP");
    String workers = "$.components.supervision.details.supervisors.workers";
    assertThat(JsonPath.<String>read(json, workers + ".status")).isEqualTo("UP");
    assertThat(JsonPath.<Integer>read(json, workers + ".children.running")).isEqualTo(3);
    assertThat(JsonPath.<String>read(json, "$.components.supervision.details.root"))
        .isEqualTo("root");
  }

  @Test
  void supervisorsEndpointShowsTheTreeWithNestedSupervisors() throws Exception {
    String json = get("/actuator/supervisors").body();
    assertThat(JsonPath.<String>read(json, "$.supervisors[0].name")).isEqualTo("root");
    assertThat(JsonPath.<String>read(json, "$.supervisors[0].strategy")).isEqualTo("one-for-one");
    assertThat(JsonPath.<Integer>read(json, "$.supervisors[0].intensity.maxRestarts")).isEqualTo(3);
    assertThat(JsonPath.<String>read(json, "$.supervisors[0].children[0].id")).isEqualTo("workers");
    String nested = "$.supervisors[0].children[0].supervisor";
    assertThat(JsonPath.<List<String>>read(json, nested + ".children[*].id"))
        .containsExactly("rooms", "greeter", "counter");
    assertThat(JsonPath.<String>read(json, nested + ".children[2].shutdown"))
        .isEqualTo("brutal-kill");
    assertThat(JsonPath.<Boolean>read(json, nested + ".children[0].supervisor.dynamic")).isTrue();
    assertThat(JsonPath.<String>read(json, nested + ".children[1].state")).isEqualTo("running");
    assertThat(JsonPath.<String>read(json, nested + ".children[1].pid")).matches("<\\d+\\.\\d+>");

    assertThat(JsonPath.<String>read(get("/actuator/supervisors/rooms").body(), "$.name"))
        .isEqualTo("rooms");
    assertThat(get("/actuator/supervisors/nowhere").statusCode()).isEqualTo(404);
  }

  @Test
  void aCrashedChildIsRestartedCountedInPrometheusAndReportedInHealth() throws Exception {
    Pid before = greeter();
    ServerRef.<Greeter.Message>of(before).cast(Greeter.Crash.INSTANCE);
    await().atMost(Duration.ofSeconds(10)).until(() -> greeter() != null && greeter() != before);
    assertThat(ServerRef.<Greeter.Message>of(greeter()).call(Greeter.Ping::new)).isEqualTo("pong");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(get("/actuator/prometheus").body())
                    .containsPattern(
                        "supervision_restarts_total\\{[^}]*child=\"greeter\",[^}]*supervisor=\"workers\"[^}]*\\}"
                            + " 1\\.0")
                    .contains("supervision_escalations_total{")
                    .containsPattern("supervision_children\\{[^}]*state=\"running\"")
                    .containsPattern(
                        "supervision_child_last_failure_seconds\\{[^}]*reason=\"IllegalStateException\"")
                    .contains("supervision_processes")
                    .containsPattern("supervision_mailbox_depth\\{[^}]*supervisor=\"workers\"")
                    .containsPattern("supervision_registry_entries\\{[^}]*registry=\"names\"")
                    .containsPattern(
                        "supervision_loadbalancer_dispatches_total\\{[^}]*balancer=\"counters\",[^}]*worker=\"counters-0\"")
                    .contains("supervision_calls_seconds_bucket")
                    // health, gauges and the endpoint look at supervisors without being timed as
                    // calls
                    .doesNotContain("server=\"root\"")
                    .doesNotContain("server=\"rooms\""));

    String health = get("/actuator/health").body();
    String workers = "$.components.supervision.details.supervisors.workers";
    assertThat(JsonPath.<String>read(health, workers + ".lastFailure.child")).isEqualTo("greeter");
    assertThat(JsonPath.<String>read(health, workers + ".lastFailure.reason"))
        .isEqualTo("IllegalStateException");
    assertThat(JsonPath.<Integer>read(health, workers + ".restarts")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aCrashIsLoggedAtErrorThroughTheApplicationsLoggingWithItsStackTrace(CapturedOutput output) {
    Pid before = greeter();
    ServerRef.<Greeter.Message>of(before).cast(Greeter.Crash.INSTANCE);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(output.getOut())
                    .containsPattern(
                        "ERROR .*\\.supervisor\\.Supervisor +:"
                            + " supervisor 'workers' child_terminated: child 'greeter', pid "
                            + Pattern.quote(before.toString())
                            + ", reason: crashed: java\\.lang\\.IllegalStateException: crash"
                            + " requested")
                    .containsPattern(
                        "java\\.lang\\.IllegalStateException: crash requested\\R\\s+at "
                            + Pattern.quote(Greeter.class.getName())
                            + "\\.handle\\("));
  }

  @Test
  void writeOperationRestartsAChildByItsId() throws Exception {
    Pid before = greeter();
    HttpResponse<String> response =
        post("/actuator/supervisors/workers", "{\"child\":\"greeter\",\"action\":\"restart\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(response.body(), "$.action")).isEqualTo("restart");
    assertThat(greeter()).isNotNull().isNotEqualTo(before);
    assertThat(before.isAlive()).isFalse();

    assertThat(
            post("/actuator/supervisors/workers", "{\"child\":\"greeter\",\"action\":\"explode\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            post("/actuator/supervisors/workers", "{\"child\":\"nobody\",\"action\":\"terminate\"}")
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void aComponentScannedChildGetsItsDependenciesInjected() {
    Pid counter = null;
    for (ChildInfo child : workers.whichChildren()) {
      if (child.id().equals("counter")) {
        counter = child.pid();
      }
    }
    assertThat(counter).isNotNull();
    assertThat(ServerRef.<Counter.Message>of(counter).call(Counter.Next::new)).isEqualTo(42L);
  }

  @Test
  void aDeclaredPoolBalancesOverFreshInstancesOfThePrototypeBean() {
    long first = counters.call(Counter.Next::new);
    long second = counters.call(Counter.Next::new);
    assertThat(first).isEqualTo(42L);
    assertThat(second).isEqualTo(42L); // two workers, round robin, each counting from 41
  }

  private Pid greeter() {
    for (ChildInfo child : workers.whichChildren()) {
      if (child.id().equals("greeter")) {
        return child.pid();
      }
    }
    return null;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

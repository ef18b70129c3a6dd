package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.augur.server.Running.Response;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics}: the series operators rely on, with buckets, bounded tags, valid exposition. */
class MetricsTest {
  static final String TITANIC = ServerApiTest.TITANIC;

  @TempDir static Path dir;
  static Running s;

  @BeforeAll
  static void start() {
    s = Running.start(dir, b -> {});
    assertThat(s.post("/models/" + TITANIC + "/predict", ServerApiTest.PASSENGER).status())
        .isEqualTo(200);
    assertThat(
            s.post(
                    "/models/" + TITANIC + "/predict",
                    "{\"observation\": {\"Age\": \"old\", \"Sex\": \"male\"}}")
                .status())
        .isEqualTo(422);
    assertThat(s.post("/predict", "{oops").status()).isEqualTo(400);
    assertThat(s.post("/models/nope/predict", ServerApiTest.PASSENGER).status()).isEqualTo(404);
    s.send(
        HttpRequest.newBuilder(s.uri("/models"))
            .method("BREW", HttpRequest.BodyPublishers.noBody()));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  private static String scrape() {
    Response m = s.get("/metrics");
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.type()).startsWith("text/plain");
    return m.body();
  }

  private static double value(String body, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(body);
    assertThat(m.find()).as("series %s in%n%s", series, body).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void requestLatencyIsAHistogramWithBucketsAndABoundedMethodTag() {
    String body = scrape();
    String route = "method=\"POST\",route=\"/models/{m}/predict\",status=\"200\"";
    assertThat(value(body, "http_server_requests_seconds_bucket{" + route + ",le=\"0.001\"}"))
        .isGreaterThanOrEqualTo(0);
    assertThat(value(body, "http_server_requests_seconds_bucket{" + route + ",le=\"+Inf\"}"))
        .isEqualTo(value(body, "http_server_requests_seconds_count{" + route + "}"));
    assertThat(body).contains("method=\"OTHER\"").doesNotContain("BREW");
    assertThat(body).doesNotContain("quantile=");
  }

  @Test
  void theForwardPassQueueingAndErrorsHaveTheirOwnSeries() {
    String body = scrape();
    String mv = "model=\"" + TITANIC + "\",version=\"1\"";
    // the warm-up and the one good prediction ran the engine
    assertThat(value(body, "augur_inference_seconds_count{" + mv + "}")).isGreaterThanOrEqualTo(2);
    assertThat(value(body, "augur_inference_seconds_bucket{" + mv + ",le=\"1.0\"}"))
        .isGreaterThanOrEqualTo(2);
    assertThat(body).contains("augur_batch_queue_seconds_bucket{" + mv + ",le=\"5.0E-5\"}");
    assertThat(
            value(
                body,
                "augur_prediction_errors_total{model=\""
                    + TITANIC
                    + "\",reason=\"invalid_input\"}"))
        .isEqualTo(1);
    // the compatibility route resolved the default model before the body failed
    assertThat(
            value(
                body,
                "augur_prediction_errors_total{model=\""
                    + TITANIC
                    + "\",reason=\"malformed_json\"}"))
        .isEqualTo(1);
    // an unknown model is not a series: names from URLs never become tags
    assertThat(body).doesNotContain("model=\"nope\"");
  }

  @Test
  void pingIsAnAliasOfReadiness() {
    Response ping = s.get("/ping");
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.json().get("status").asText()).isEqualTo("ready");
  }

  @Test
  void everySeriesIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("../docs/observability.md"));
    Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(scrape());
    java.util.List<String> missing = new java.util.ArrayList<>();
    while (m.find()) {
      if (!doc.contains("`" + m.group(1) + "`")) {
        missing.add(m.group(1));
      }
    }
    assertThat(missing).as("series missing from docs/observability.md").isEmpty();
  }

  /** The exposition passes Prometheus' own linter (Debian's {@code prometheus} package). */
  @Test
  void promtoolAcceptsTheExposition() throws Exception {
    boolean installed =
        Files.isExecutable(Path.of("/usr/bin/promtool"))
            || Files.isExecutable(Path.of("/usr/local/bin/promtool"));
    if (!installed) {
      String why = "promtool is not installed (Debian package prometheus; .ci/run installs it)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      System.err.println("SKIPPED: " + why);
    }
    assumeTrue(installed);
    Process p =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(scrape().getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEmpty();
    assertThat(p.exitValue()).isZero();
  }
}

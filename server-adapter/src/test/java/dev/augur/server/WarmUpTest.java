package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.testing.Fixtures;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server's warm-up runs the whole request path and leaves no trace. */
class WarmUpTest {
  private static final String MODEL = "tab_binary_softmax";

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private String get(ChildServer s, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(s.uri(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private Path models() throws Exception {
    Path src = Fixtures.model(MODEL);
    Path dst = Files.createDirectories(dir.resolve("models").resolve(MODEL).resolve("1"));
    try (var files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    return dir.resolve("models");
  }

  @Test
  void warmUpPredictsThroughTheServerButLeavesNoTraceInHistoryMetricsOrAccessLog()
      throws Exception {
    models();
    Path log = dir.resolve("server.log");
    try (ChildServer s =
        ChildServer.start(
            log,
            Map.of("AUGUR_DATA_DIR", dir.resolve("data").toString(), "AUGUR_WARM_UP_SECONDS", "2"),
            "--models",
            dir.resolve("models").toString())) {
      String logged = Files.readString(log);
      Matcher m = Pattern.compile("warm-up: (\\d+) requests \\((\\d+) not 2xx\\)").matcher(logged);
      assertThat(m.find()).as(logged).isTrue();
      assertThat(Long.parseLong(m.group(1)))
          .as("warm-up requests: every body at least once")
          .isGreaterThanOrEqualTo(2);
      assertThat(Long.parseLong(m.group(2))).as("warm-up failures").isZero();
      assertThat(logged.indexOf("warm-up:")).isLessThan(logged.indexOf("Augur ready at"));
      // no warm-up prediction in the history, the quality, the metrics or the access log
      assertThat(get(s, "/models/" + MODEL + "/predictions")).doesNotContain("warm-up-");
      assertThat(get(s, "/models/" + MODEL + "/quality"))
          .contains("\"labelled\":0")
          .contains("\"unlabelled\":0");
      String metrics = get(s, "/metrics");
      assertThat(metrics)
          .doesNotContain("augur_predictions_total{")
          .doesNotContain("augur_batch_size_count{")
          .doesNotContain("augur_inference_seconds_count{");
      Matcher commits =
          Pattern.compile("(?m)^augur_history_group_size_count\\s+(\\S+)").matcher(metrics);
      assertThat(commits.find()).as(metrics).isTrue();
      assertThat(Double.parseDouble(commits.group(1))).as("group commits").isZero();
      assertThat(Files.readString(log)).doesNotContain("warm-up-");
    }
  }

  /**
   * The image build's training run ({@code --exit-after-warm-up}) warms up and exits 0 without
   * opening the history or the port: nothing in the data folder, no scratch folder left behind.
   */
  @Test
  void trainingRunWarmsUpAndExitsWithoutOpeningTheHistory() throws Exception {
    Path models = models();
    Path data = dir.resolve("data");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path log = dir.resolve("training.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dai.djl.offline=true",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--models",
                models.toString(),
                "--data-dir",
                data.toString(),
                "--warm-up-seconds",
                "2",
                "--exit-after-warm-up")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("exits").isTrue();
    String logged = Files.readString(log);
    assertThat(p.exitValue()).as(logged).isZero();
    Matcher m = Pattern.compile("warm-up: (\\d+) requests \\((\\d+) not 2xx\\)").matcher(logged);
    assertThat(m.find()).as(logged).isTrue();
    assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(2);
    assertThat(Long.parseLong(m.group(2))).as("warm-up failures").isZero();
    assertThat(logged).contains("exiting (--exit-after-warm-up)").doesNotContain("Augur ready at");
    assertThat(Files.exists(data.resolve("history.db"))).as("no history opened").isFalse();
    try (var left = Files.list(tmp)) {
      assertThat(left.filter(f -> f.getFileName().toString().startsWith("augur-warm-up")).toList())
          .as("the scratch history is deleted")
          .isEmpty();
    }
  }
}

package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.testing.Fixtures;
import dev.augur.persistence.testing.LoopbackProxy;
import dev.augur.persistence.testing.Postgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The standalone server started before its database answers (as on Kubernetes, where both start
 * together), and {@code --retention}.
 */
class StartupAndRetentionTest {
  private static final String MODEL = "tab_binary_softmax";
  private static final String PASSENGER = ServerApiTest.PASSENGER;

  @TempDir Path dir;
  private Path models;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void models() throws Exception {
    Path src = Fixtures.model(MODEL);
    Path dst = Files.createDirectories(dir.resolve("models").resolve(MODEL).resolve("1"));
    try (var files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    models = dir.resolve("models");
  }

  private HttpResponse<String> get(ChildServer s, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(s.uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> predict(ChildServer s, String id) throws Exception {
    return http.send(
        HttpRequest.newBuilder(s.uri("/models/" + MODEL + "/predict"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"id\": \"" + id + "\", \"observation\": " + PASSENGER + "}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startsLiveButNotReadyWhileTheDatabaseIsDownThenBecomesReadyWhenItAnswers() throws Exception {
    Postgres.assumeAvailable();
    try (LoopbackProxy proxy = new LoopbackProxy(5432)) {
      URI u = URI.create(Postgres.URL);
      String url =
          u.getScheme()
              + "://"
              + (u.getUserInfo() == null ? "" : u.getUserInfo() + "@")
              + "127.0.0.1:"
              + proxy.port()
              + u.getPath();
      // the proxy is not started yet: the database's port refuses connections
      try (ChildServer s =
          ChildServer.start(
              dir.resolve("server.log"),
              Map.of("DATABASE_URL", url, "AUGUR_DATA_DIR", dir.resolve("data").toString()),
              "--models",
              models.toString(),
              "--no-access-log")) {
        assertThat(get(s, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(s, "/health/ready").statusCode()).isEqualTo(503);
        HttpResponse<String> down = predict(s, "before");
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).isPresent();

        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline
            && (status = get(s, "/health/ready").statusCode()) != 200) {
          Thread.onSpinWait();
        }
        assertThat(status).as("ready once the database answers").isEqualTo(200);
        assertThat(java.nio.file.Files.readString(dir.resolve("server.log")))
            .contains("Augur listening at")
            .contains("not ready until the history database answers")
            .doesNotContain("Augur ready at");
        String id = "after-" + System.nanoTime();
        HttpResponse<String> up = predict(s, id);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(get(s, "/models/" + MODEL + "/predictions/" + id).statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void retentionPurgesOldRecordsInTheBackground() throws Exception {
    try (ChildServer s =
        ChildServer.start(
            dir.resolve("server.log"),
            Map.of("AUGUR_DATA_DIR", dir.resolve("data").toString(), "AUGUR_RETENTION", "PT2S"),
            "--models",
            models.toString(),
            "--no-access-log")) {
      assertThat(predict(s, "short-lived").statusCode()).isEqualTo(200);
      String path = "/models/" + MODEL + "/predictions/short-lived";
      assertThat(get(s, path).statusCode()).isEqualTo(200);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int status = 200;
      while (System.nanoTime() < deadline && (status = get(s, path).statusCode()) == 200) {
        Thread.onSpinWait();
      }
      assertThat(status).as("purged once older than 2 s").isEqualTo(404);
    }
  }

  @Test
  void retentionComesFromTheFlagElseTheConfigFile() throws Exception {
    Path file = Files.writeString(dir.resolve("augur.json"), "{\"retention\": \"P30D\"}");
    Main fromFile = new Main();
    new CommandLine(fromFile).parseArgs("--models", models.toString(), "--config", file.toString());
    assertThat(fromFile.settings().retention()).contains(Duration.ofDays(30));
    Main flag = new Main();
    new CommandLine(flag)
        .parseArgs(
            "--models", models.toString(), "--config", file.toString(), "--retention", "PT12H");
    assertThat(flag.settings().retention()).contains(Duration.ofHours(12));
    Main bad = new Main();
    new CommandLine(bad).parseArgs("--models", models.toString(), "--retention", "90d");
    assertThatThrownBy(bad::settings).hasMessageContaining("--retention");
  }

  @Test
  void aRetentionThatIsNotADurationIsRefusedNamingTheOption() {
    assertThat(Main.retention("P90D")).contains(Duration.ofDays(90));
    assertThat(Main.retention(null)).isEmpty();
    assertThatThrownBy(() -> Main.retention("90 days"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--retention")
        .hasMessageContaining("P90D");
    assertThatThrownBy(() -> Main.retention("-P1D")).hasMessageContaining("positive");
  }
}

package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.testing.Fixtures;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server with a broken package: without {@code --keep-going} it refuses to start
 * naming the package; with it (or {@code AUGUR_KEEP_GOING=true}) it serves the healthy models and
 * lists the broken one with its error on {@code /health/ready} and {@code /models}.
 */
class KeepGoingTest {
  @TempDir Path dir;

  private Path repository() throws Exception {
    Path models =
        Fixtures.repositoryOf(dir.resolve("models"), "tab_binary_sigmoid", "onnx_logreg_binary");
    Path broken = Files.createDirectories(models.resolve("state_dict/1"));
    try (var files = Files.list(Fixtures.broken("state_dict"))) {
      for (Path p : files.toList()) {
        Files.copy(p, broken.resolve(p.getFileName()));
      }
    }
    return models;
  }

  @Test
  void withoutKeepGoingABrokenPackageStopsTheStartNamingIt() throws Exception {
    Path models = repository();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx512m", "-Dai.djl.offline=true", "-cp"));
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of(
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(ChildServer.freePort()),
            "--models",
            models.toString(),
            "--data-dir",
            dir.resolve("data").toString()));
    Path log = dir.resolve("refused.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the server exits").isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readString(log))
        .contains("cannot start")
        .contains("model state_dict version 1: model.pt is a torch.save checkpoint")
        .doesNotContain("Augur ready at");
  }

  @Test
  void keepGoingServesTheHealthyModelsAndListsTheBrokenOne() throws Exception {
    Path models = repository();
    try (ChildServer s =
        ChildServer.start(
            dir.resolve("server.log"),
            Map.of("AUGUR_KEEP_GOING", "true", "AUGUR_DATA_DIR", dir.resolve("data").toString()),
            "--host",
            "127.0.0.1",
            "--models",
            models.toString())) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ready = get(http, s, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      JsonNode r = Json.mapper().readTree(ready.body());
      assertThat(r.get("models").toString())
          .isEqualTo("[\"onnx_logreg_binary\",\"tab_binary_sigmoid\"]");
      assertThat(r.get("broken")).hasSize(1);
      assertThat(r.get("broken").get(0).get("model").asText()).isEqualTo("state_dict");
      assertThat(r.get("broken").get(0).get("version").asText()).isEqualTo("1");
      assertThat(r.get("broken").get(0).get("error").asText())
          .contains("torch.save checkpoint or state dict")
          .doesNotContain(models.toString());
      JsonNode list = Json.mapper().readTree(get(http, s, "/models").body());
      assertThat(list.get("models")).hasSize(2);
      assertThat(list.get("broken").get(0).get("error").asText()).contains("torch.jit.trace");
      HttpResponse<String> healthy =
          http.send(
              HttpRequest.newBuilder(s.uri("/models/onnx_logreg_binary/predict"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"observation\": {\"Age\": 30, \"Fare\": 80, \"Sex\": \"female\","
                              + " \"Pclass\": 1}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(200);
      assertThat(healthy.body()).contains("\"label\":\"survived\"");
      HttpResponse<String> broken = get(http, s, "/models/state_dict");
      assertThat(broken.statusCode()).isEqualTo(404);
      assertThat(broken.body()).contains("failed to load and is not served");
    }
  }

  private static HttpResponse<String> get(HttpClient http, ChildServer s, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(s.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}

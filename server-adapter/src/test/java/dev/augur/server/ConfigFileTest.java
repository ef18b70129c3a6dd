package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.testing.Fixtures;
import dev.augur.server.ServerConfig.InvalidConfigException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The config file in the standalone server: precedence, start-up errors, per-model settings. */
class ConfigFileTest {
  @TempDir Path dir;

  private Main parse(String... args) {
    Main main = new Main();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  private Path config(String json) throws Exception {
    return Files.writeString(dir.resolve("augur.json"), json);
  }

  @Test
  void flagsWinOverTheFileWhichWinsOverTheDefaults() throws Exception {
    Path models = Fixtures.repositoryOf(dir.resolve("models"), "tab_binary_sigmoid");
    Path file =
        config(
            """
            {"api_key": "from-file", "access_log": "json",
             "limits": {"max_body_mb": 8, "max_in_flight": 32}}
            """);
    Main.Settings s =
        parse("--models", models.toString(), "--config", file.toString(), "--max-body-mb", "2")
            .settings();
    assertThat(s.maxBodyMb()).isEqualTo(2);
    assertThat(s.maxInFlight()).isEqualTo(32);
    assertThat(s.apiKey()).contains("from-file");
    assertThat(s.accessLog()).isEqualTo(AccessLogFormat.JSON);

    Main.Settings flags =
        parse(
                "--models",
                models.toString(),
                "--config",
                file.toString(),
                "--api-key",
                "from-flag",
                "--no-access-log")
            .settings();
    assertThat(flags.apiKey()).contains("from-flag");
    assertThat(flags.accessLog()).isEqualTo(AccessLogFormat.OFF);

    Main.Settings defaults = parse("--models", models.toString()).settings();
    assertThat(defaults.maxBodyMb()).isEqualTo(16);
    assertThat(defaults.maxInFlight()).isEqualTo(256);
    assertThat(defaults.accessLog()).isEqualTo(AccessLogFormat.TEXT);
  }

  @Test
  void aConfigNamingAModelThatIsNotThereOrAnUnknownKeyStopsTheStart() throws Exception {
    Path models = Fixtures.repositoryOf(dir.resolve("models"), "tab_binary_sigmoid");
    Path file = config("{\"models\": {\"titanc\": {\"pool_size\": 2}}}");
    assertThatThrownBy(
            () -> parse("--models", models.toString(), "--config", file.toString()).settings())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("models.titanc: there is no such model");
    config("{\"limit\": {}}");
    assertThat(
            new CommandLine(new Main())
                .execute("--models", models.toString(), "--config", file.toString()))
        .isEqualTo(2);
    assertThatThrownBy(
            () ->
                parse("--models", models.toString(), "--access-log", "xml", "--max-in-flight", "0")
                    .settings())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--access-log: must be text, json or off")
        .hasMessageContaining("--max-in-flight: must be in 1..100000");
  }

  @Test
  void theKeyComesFromAMountedSecretFileWithoutItsNewline() throws Exception {
    Path models = Fixtures.repositoryOf(dir.resolve("models"), "tab_binary_sigmoid");
    Path secret = Files.writeString(dir.resolve("augur_api_key"), "s3cret\n");
    assertThat(
            parse("--models", models.toString(), "--api-key-file", secret.toString())
                .settings()
                .apiKey())
        .contains("s3cret");
    Path file = config("{\"api_key\": \"from-file\"}");
    assertThat(
            parse(
                    "--models",
                    models.toString(),
                    "--config",
                    file.toString(),
                    "--api-key-file",
                    secret.toString())
                .settings()
                .apiKey())
        .as("the secret, like the environment, wins over the config file")
        .contains("s3cret");

    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(
            () ->
                parse(
                        "--models",
                        models.toString(),
                        "--api-key-file",
                        empty.toString(),
                        "--api-key",
                        "k")
                    .settings())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--api-key-file: " + empty + " is empty")
        .hasMessageContaining("--api-key-file: give the key once");
    assertThatThrownBy(
            () ->
                parse(
                        "--models",
                        models.toString(),
                        "--api-key-file",
                        dir.resolve("absent").toString())
                    .settings())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--api-key-file: cannot read " + dir.resolve("absent"));
  }

  /**
   * The environment sits between flags and the file: only a child process can have its own
   * environment. The file's per-model settings reach the registry.
   */
  @Test
  void theEnvironmentWinsOverTheFileAndModelSettingsApply() throws Exception {
    Path models = Fixtures.repositoryOf(dir.resolve("models"), "tab_binary_sigmoid");
    Path v2 = Files.createDirectories(models.resolve("tab_binary_sigmoid/2"));
    try (var files = Files.list(models.resolve("tab_binary_sigmoid/1"))) {
      for (Path p : files.toList()) {
        Files.copy(p, v2.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path m2 = v2.resolve("model.json");
    Files.writeString(m2, Files.readString(m2).replace("\"version\": \"1\"", "\"version\": \"2\""));
    Path file =
        config(
            """
            {"api_key": "${env:FILE_KEY}",
             "models": {"tab_binary_sigmoid": {"default_version": "1", "keep_versions": 2,
                                               "pool_size": 1, "batching": {"max_batch_size": 1}}}}
            """);
    try (ChildServer s =
        ChildServer.start(
            dir.resolve("server.log"),
            Map.of(
                "FILE_KEY", "from-file",
                "AUGUR_API_KEY", "from-env",
                "AUGUR_DATA_DIR", dir.resolve("data").toString()),
            "--host",
            "127.0.0.1",
            "--models",
            models.toString(),
            "--config",
            file.toString())) {
      HttpClient http = HttpClient.newHttpClient();
      JsonNode model =
          Json.mapper()
              .readTree(
                  http.send(
                          HttpRequest.newBuilder(s.uri("/models/tab_binary_sigmoid"))
                              .header("X-API-Key", "from-env")
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body());
      assertThat(model.get("version").asText()).isEqualTo("1");
      assertThat(model.get("versions").toString()).isEqualTo("[\"1\",\"2\"]");
      assertThat(outcome(http, s, "from-env")).isEqualTo(404);
      assertThat(outcome(http, s, "from-file")).isEqualTo(403);
    }
  }

  private static int outcome(HttpClient http, ChildServer s, String key) throws Exception {
    return http.send(
            HttpRequest.newBuilder(s.uri("/models/tab_binary_sigmoid/predictions/nope/outcome"))
                .header("Content-Type", "application/json")
                .header("X-API-Key", key)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"outcome\": \"yes\"}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}

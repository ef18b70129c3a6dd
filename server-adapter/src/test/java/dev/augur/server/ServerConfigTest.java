package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.model.Batching;
import dev.augur.server.ServerConfig.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  private ServerConfig read(String json, Map<String, String> env) throws Exception {
    Path file = dir.resolve("augur.json");
    Files.writeString(file, json);
    return ServerConfig.read(file, env::get);
  }

  @Test
  void readsEveryDocumentedKey() throws Exception {
    ServerConfig c =
        read(
            """
            {
              "api_key": "${env:AUGUR_API_KEY}",
              "access_log": "json",
              "retention": "P90D",
              "limits": {"max_body_mb": 8, "max_in_flight": 64, "extra_fields_kib": 32},
              "models": {
                "titanic": {
                  "default_version": "1",
                  "keep_versions": 2,
                  "traffic": {"1": 90, "2": 10},
                  "shadow": 2,
                  "pool_size": 3,
                  "batching": {"max_batch_size": 32, "max_delay_ms": 2.5}
                },
                "digits": {}
              }
            }
            """,
            Map.of("AUGUR_API_KEY", "k-123"));
    assertThat(c.apiKey()).contains("k-123");
    assertThat(c.accessLog()).contains(AccessLogFormat.JSON);
    assertThat(c.retention()).contains(Duration.ofDays(90));
    assertThat(c.limits().maxBodyMb()).hasValue(8);
    assertThat(c.limits().maxInFlight()).hasValue(64);
    assertThat(c.limits().extraFieldsKib()).hasValue(32);
    assertThat(c.models()).containsOnlyKeys("digits", "titanic");
    ServerConfig.ModelSettings t = c.models().get("titanic");
    assertThat(t.defaultVersion()).contains("1");
    assertThat(t.keepVersions()).hasValue(2);
    assertThat(t.traffic()).containsExactly(Map.entry("1", 90), Map.entry("2", 10));
    assertThat(t.shadow()).contains("2");
    assertThat(t.poolSize()).hasValue(3);
    assertThat(t.batching()).contains(new Batching(32, 2.5));
    ServerConfig.ModelSettings d = c.models().get("digits");
    assertThat(d.defaultVersion()).isEmpty();
    assertThat(d.traffic()).isEmpty();
    assertThat(d.batching()).isEmpty();
  }

  @Test
  void anEmptyObjectSetsNothing() throws Exception {
    assertThat(read("{}", Map.of())).isEqualTo(ServerConfig.empty());
    assertThat(ServerConfig.empty().limits().maxBodyMb()).isEqualTo(OptionalInt.empty());
    assertThat(ServerConfig.empty().apiKey()).isEqualTo(Optional.empty());
  }

  @Test
  void unknownKeysAreErrorsNamingEachOfThem() {
    assertThatThrownBy(
            () ->
                read(
                    """
                    {"api_key": "k", "apikey": "k", "limits": {"max_body": 3},
                     "models": {"titanic": {"batchng": {}, "batching": {"max_batch_size": 4, "delay": 1}}}}
                    """,
                    Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("augur.json")
        .hasMessageContaining("apikey: unknown key")
        .hasMessageContaining("limits.max_body: unknown key")
        .hasMessageContaining("models.titanic.batchng: unknown key")
        .hasMessageContaining("models.titanic.batching.delay: unknown key")
        .satisfies(e -> assertThat(((InvalidConfigException) e).violations()).hasSize(4));
  }

  @Test
  void aMissingEnvironmentVariableIsAnErrorNamingIt() {
    assertThatThrownBy(() -> read("{\"api_key\": \"${env:AUGUR_SECRET_KEY}\"}", Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("api_key: the environment variable AUGUR_SECRET_KEY is not set");
  }

  @Test
  void wrongTypesAndRangesNameTheirKey() {
    assertThatThrownBy(
            () ->
                read(
                    """
                    {"access_log": "xml", "retention": "90 days",
                     "limits": {"max_body_mb": 0, "max_in_flight": "many"},
                     "models": {"a": {"pool_size": 1.5, "traffic": {"1": -1}, "keep_versions": 0},
                                "b": {"traffic": {"1": 0}, "batching": {"max_delay_ms": 5000}},
                                "c": 3}}
                    """,
                    Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("access_log: must be text, json or off")
        .hasMessageContaining("retention: must be a positive ISO-8601 duration")
        .hasMessageContaining("limits.max_body_mb: must be an integer in 1..1024")
        .hasMessageContaining("limits.max_in_flight: must be an integer in 1..100000")
        .hasMessageContaining("models.a.pool_size: must be an integer in 1..256")
        .hasMessageContaining("models.a.traffic.1: must be an integer in 0..1000000")
        .hasMessageContaining("models.a.keep_versions: must be an integer in 1..10000")
        .hasMessageContaining("models.b.traffic: must give at least one version a weight above 0")
        .hasMessageContaining("models.b.batching.max_batch_size: is required")
        .hasMessageContaining("models.b.batching.max_delay_ms: must be a number in 0..1000")
        .hasMessageContaining("models.c: must be an object");
  }

  @Test
  void malformedJsonAndOtherRootsAreErrors() {
    assertThatThrownBy(() -> read("{\"limits\": ", Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not valid JSON at line 1");
    assertThatThrownBy(() -> read("[1]", Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> ServerConfig.read(dir.resolve("missing.json")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("cannot be read");
  }
}

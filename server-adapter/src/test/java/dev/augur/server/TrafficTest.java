package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.core.Augur;
import dev.augur.core.HistoryStore;
import dev.augur.core.model.TrafficSplit;
import dev.augur.persistence.HistoryStores;
import dev.augur.persistence.testing.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 90/10 split between two versions of the sample Titanic model over HTTP: the share of each,
 * replays staying on their version, {@code ?version=} winning, and quality per version.
 */
class TrafficTest {
  @TempDir Path dir;

  @Test
  void sqlite() throws Exception {
    run(HistoryStores.sqlite(dir.resolve("history.db")));
  }

  @Test
  void postgres() throws Exception {
    Postgres.assumeAvailable();
    run(HistoryStores.open(Postgres.URL));
  }

  private void run(HistoryStore store) throws Exception {
    Path models = dir.resolve("models");
    // a model name of its own, so that runs on a shared PostgreSQL never mix
    String name = "titanic_split_" + UUID.randomUUID().toString().substring(0, 8);
    for (String v : List.of("1", "2")) {
      Path version = Files.createDirectories(models.resolve(name).resolve(v));
      Files.copy(DriftTest.TITANIC.resolve("model.pt"), version.resolve("model.pt"));
      Files.writeString(
          version.resolve("model.json"),
          Files.readString(DriftTest.TITANIC.resolve("model.json"))
              .replace("\"version\": \"1\"", "\"version\": \"" + v + "\"")
              .replace("\"name\": \"titanic\"", "\"name\": \"" + name + "\""));
    }
    Augur augur =
        Augur.builder()
            .models(models)
            .history(store)
            .traffic(name, TrafficSplit.of(Map.of("1", 90, "2", 10)))
            .build();
    try (AugurServer server =
        AugurServer.builder(augur).port(0).ownsAugur(true).accessLog(false).build().start()) {
      DriftTest.Client c = new DriftTest.Client(server.port());
      String base = "/models/" + name;
      List<Map<String, Object>> passengers = DriftTest.passengers();
      // 10,000 generated ids, in batches
      Map<String, Integer> versions = new HashMap<>();
      for (int b = 0; b < 10; b++) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode instances = body.putArray("instances");
        for (int i = 0; i < 1000; i++) {
          instances.add(
              Json.mapper().valueToTree(passengers.get((b * 1000 + i) % passengers.size())));
        }
        JsonNode r = c.post(base + "/predict", body.toString()).json(200);
        r.get("predictions")
            .forEach(p -> versions.merge(p.get("version").asText(), 1, Integer::sum));
      }
      assertThat(versions.get("1") + versions.get("2")).isEqualTo(10_000);
      assertThat(versions.get("2") / 10_000.0).isBetween(0.08, 0.12);

      // client ids: a replay answers from the version that answered first; ?version= wins
      String obs = Json.mapper().writeValueAsString(passengers.get(0));
      Map<String, Integer> byId = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        String body = "{\"id\": \"t-" + i + "\", \"observation\": " + obs + "}";
        String v = c.post(base + "/predict", body).json(200).get("version").asText();
        assertThat(c.post(base + "/predict", body).json(200).get("version").asText()).isEqualTo(v);
        byId.merge(v, 1, Integer::sum);
        // the true outcome of every one of them
        c.put(base + "/predictions/t-" + i + "/outcome", "{\"outcome\": \"survived\"}").json(200);
      }
      assertThat(byId).containsKeys("1", "2");
      for (int i = 0; i < 50; i++) {
        String body = "{\"id\": \"pinned-" + i + "\", \"observation\": " + obs + "}";
        assertThat(c.post(base + "/predict?version=2", body).json(200).get("version").asText())
            .isEqualTo("2");
      }

      // quality per version: each counts its own labelled predictions
      JsonNode q1 = c.get(base + "/quality?version=1").json(200);
      JsonNode q2 = c.get(base + "/quality?version=2").json(200);
      JsonNode all = c.get(base + "/quality").json(200);
      assertThat(q1.get("labelled").asLong()).isEqualTo((long) byId.get("1"));
      assertThat(q2.get("labelled").asLong()).isEqualTo((long) byId.get("2"));
      assertThat(all.get("labelled").asLong()).isEqualTo(300);
      assertThat(q1.get("unlabelled").asLong() + q2.get("unlabelled").asLong())
          .isEqualTo(all.get("unlabelled").asLong());
      assertThat(c.get(base + "/quality?version=7").json(200).get("labelled").asLong()).isZero();
    }
  }
}

package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.core.Augur;
import dev.augur.persistence.HistoryStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code augur_drift_psi{model,feature}} on /metrics: the last 24 hours against the training
 * profile, computed off the scrape and at most once per interval.
 */
class DriftMetricsTest {
  private static final Pattern AGE =
      Pattern.compile("augur_drift_psi\\{feature=\"age\",model=\"titanic\"} (\\S+)");

  @TempDir Path dir;

  @Test
  void aScrapeReadsTheLastDaysDriftAgainstTheProfileRefreshedAtMostOncePerInterval()
      throws Exception {
    Path version = Files.createDirectories(dir.resolve("models/titanic/1"));
    for (String f : List.of("model.json", "model.pt", "profile.json")) {
      Files.copy(DriftTest.TITANIC.resolve(f), version.resolve(f));
    }
    Augur augur =
        Augur.builder()
            .models(dir.resolve("models"))
            .history(HistoryStores.sqlite(dir.resolve("history.db")))
            .build();
    try (AugurServer server =
        AugurServer.builder(augur)
            .port(0)
            .ownsAugur(true)
            .accessLog(false)
            .driftMetricsEvery(Duration.ofHours(1))
            .build()
            .start()) {
      DriftTest.Client c = new DriftTest.Client(server.port());
      // sixty first-class passengers of unknown age: far from the training profile
      ObjectNode body = Json.mapper().createObjectNode();
      ArrayNode instances = body.putArray("instances");
      for (Map<String, Object> p : DriftTest.passengers()) {
        if (p.get("class").equals("1st") && instances.size() < 60) {
          Map<String, Object> q = new LinkedHashMap<>(p);
          q.put("age", null);
          instances.add(Json.mapper().valueToTree(q));
        }
      }
      c.post("/models/titanic/predict", body.toString()).json(200);

      // the first scrape starts the refresh and answers without waiting for it
      String text = c.get("/metrics").text();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Matcher m = AGE.matcher(text);
      while (!m.find()) {
        assertThat(System.nanoTime()).as("the drift gauges within 60 s").isLessThan(deadline);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        m = AGE.matcher(c.get("/metrics").text());
      }
      double gauge = Double.parseDouble(m.group(1));
      JsonNode drift = c.get("/models/titanic/drift").json(200);
      double age = drift.at("/features/1/value").asDouble();
      assertThat(drift.at("/features/1/name").asText()).isEqualTo("age");
      assertThat(age).isGreaterThan(1.0);
      assertThat(gauge).isCloseTo(age, within(1e-9));
      String all = c.get("/metrics").text();
      for (String f :
          List.of("gender", "age", "class", "embarked", "fare", "sibsp", "parch", "prediction")) {
        assertThat(all).contains("augur_drift_psi{feature=\"" + f + "\",model=\"titanic\"}");
      }
      // more scrapes within the hour refresh nothing
      while (server.metricsForTests().drift.refreshes() < 1) {
        assertThat(System.nanoTime()).as("the first refresh within 60 s").isLessThan(deadline);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      for (int i = 0; i < 10; i++) {
        c.get("/metrics");
      }
      assertThat(server.metricsForTests().drift.refreshes()).isEqualTo(1);
    }
  }
}

package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.core.Augur;
import dev.augur.core.Classification;
import dev.augur.core.HistoryStore;
import dev.augur.core.Observation;
import dev.augur.core.PredictionRecord;
import dev.augur.core.PredictionRequest;
import dev.augur.core.ShadowStats;
import dev.augur.core.history.HistoryQuery;
import dev.augur.core.model.ModelRegistry;
import dev.augur.persistence.HistoryStores;
import dev.augur.persistence.testing.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shadow version over HTTP and in Java: version 1 (the sample MLP) answers, version 2 (the sample
 * random forest, which predicts differently) shadows it. The answers are exactly version 1's; the
 * shadow's predictions are recorded under the same ids with {@code "shadow": true}, listed only
 * with {@code ?shadow=true}, labelled by the same outcomes, measured per version; a shadow that
 * cannot keep up drops and counts instead of slowing the answers.
 */
class ShadowTest {
  static final Path FOREST = DriftTest.ROOT.resolve("samples/models/titanic_forest/1");

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

  /** A model folder with the MLP as version 1 and the forest as version 2, under a fresh name. */
  static String twoVersions(Path models) throws Exception {
    String name = "titanic_shadow_" + UUID.randomUUID().toString().substring(0, 8);
    Path v1 = Files.createDirectories(models.resolve(name).resolve("1"));
    Files.copy(DriftTest.TITANIC.resolve("model.pt"), v1.resolve("model.pt"));
    Files.writeString(
        v1.resolve("model.json"),
        Files.readString(DriftTest.TITANIC.resolve("model.json"))
            .replace("\"name\": \"titanic\"", "\"name\": \"" + name + "\""));
    Path v2 = Files.createDirectories(models.resolve(name).resolve("2"));
    Files.copy(FOREST.resolve("model.onnx"), v2.resolve("model.onnx"));
    Files.writeString(
        v2.resolve("model.json"),
        Files.readString(FOREST.resolve("model.json"))
            .replace("\"version\": \"1\"", "\"version\": \"2\"")
            .replace("\"name\": \"titanic_forest\"", "\"name\": \"" + name + "\""));
    return name;
  }

  private void run(HistoryStore store) throws Exception {
    Path models = dir.resolve("models");
    String name = twoVersions(models);
    Augur augur =
        Augur.builder()
            .models(ModelRegistry.builder(models).defaultVersion(name, "1"))
            .history(store)
            .shadow(name, "2")
            .build();
    try (AugurServer server =
        AugurServer.builder(augur).port(0).ownsAugur(true).accessLog(false).build().start()) {
      DriftTest.Client c = new DriftTest.Client(server.port());
      String base = "/models/" + name;
      List<Map<String, Object>> passengers = DriftTest.passengers().subList(0, 200);
      var champion = augur.models().predictor(name, "1");
      var challenger = augur.models().predictor(name, "2");
      int differ = 0;
      for (int i = 0; i < passengers.size(); i++) {
        Observation o = Observation.of(passengers.get(i));
        String body =
            "{\"id\": \"s-"
                + i
                + "\", \"observation\": "
                + Json.mapper().writeValueAsString(passengers.get(i))
                + "}";
        JsonNode answer = c.post(base + "/predict", body).json(200);
        // the answer is version 1's, to the last digit, whatever the shadow predicts
        Classification v1 = (Classification) champion.predict(o);
        assertThat(answer.get("version").asText()).isEqualTo("1");
        assertThat(answer.has("shadow")).isFalse();
        assertThat(answer.get("label").asText()).isEqualTo(v1.label());
        for (var e : v1.probabilities().entrySet()) {
          assertThat(answer.get("probabilities").get(e.getKey()).asDouble())
              .isEqualTo(e.getValue());
        }
        Classification v2 = (Classification) challenger.predict(o);
        if (Math.abs(v2.probabilities().get("survived") - v1.probabilities().get("survived"))
            > 1e-6) {
          differ++;
        }
      }
      // the two versions disagree, so an answer taken from the shadow would have been seen
      assertThat(differ).isGreaterThan(100);

      // a batch is shadowed instance by instance
      ObjectNode batch = Json.mapper().createObjectNode();
      ArrayNode instances = batch.putArray("instances");
      passengers.subList(0, 50).forEach(p -> instances.add(Json.mapper().valueToTree(p)));
      JsonNode answers = c.post(base + "/predict", batch.toString()).json(200);
      answers.get("predictions").forEach(p -> assertThat(p.get("version").asText()).isEqualTo("1"));

      await(() -> augur.shadowStats(name).recorded() == 250);
      assertThat(augur.shadowStats(name)).isEqualTo(new ShadowStats(250, 0, 0, 0));

      // history: the answered records by default, the shadow's when asked
      JsonNode answered = c.get(base + "/predictions?n=1000").json(200);
      assertThat(answered.get("items")).hasSize(250);
      answered.get("items").forEach(r -> assertThat(r.get("version").asText()).isEqualTo("1"));
      answered.get("items").forEach(r -> assertThat(r.has("shadow")).isFalse());
      JsonNode listed = c.get(base + "/predictions?n=1000&shadow=true").json(200);
      assertThat(listed.get("items")).hasSize(250);
      listed
          .get("items")
          .forEach(
              r -> {
                assertThat(r.get("version").asText()).isEqualTo("2");
                assertThat(r.get("shadow").asBoolean()).isTrue();
              });
      assertThat(c.get(base + "/predictions?shadow=maybe").status()).isEqualTo(400);
      assertThat(c.get("/metrics").text())
          .contains(
              "augur_shadow_predictions_total{model=\""
                  + name
                  + "\",result=\"skipped\",version=\"2\"} 0.0")
          .contains(
              "augur_shadow_predictions_total{model=\""
                  + name
                  + "\",result=\"recorded\",version=\"2\"} 250.0")
          .contains(
              "augur_shadow_predictions_total{model=\""
                  + name
                  + "\",result=\"dropped\",version=\"2\"} 0.0");
      List<PredictionRecord> shadows =
          augur.history(name, HistoryQuery.newest(1000).shadows()).items();
      assertThat(shadows).hasSize(250).allMatch(r -> r.shadow() && r.version().equals("2"));
      PredictionRecord s0 =
          shadows.stream().filter(r -> r.id().equals("s-0")).findFirst().orElseThrow();
      assertThat(s0.prediction()).isEqualTo(challenger.predict(Observation.of(passengers.get(0))));
      // the record by id is the answered one
      assertThat(c.get(base + "/predictions/s-0").json(200).get("version").asText()).isEqualTo("1");

      // one outcome per id labels both versions' predictions: quality per version on the same
      // requests
      for (int i = 0; i < passengers.size(); i++) {
        c.put(base + "/predictions/s-" + i + "/outcome", "{\"outcome\": \"survived\"}").json(200);
      }
      JsonNode q1 = c.get(base + "/quality?version=1").json(200);
      JsonNode q2 = c.get(base + "/quality?version=2").json(200);
      JsonNode all = c.get(base + "/quality").json(200);
      assertThat(q1.get("labelled").asLong()).isEqualTo(200);
      assertThat(q2.get("labelled").asLong()).isEqualTo(200);
      assertThat(all.get("labelled").asLong()).isEqualTo(200);
      assertThat(all.get("unlabelled").asLong()).isEqualTo(50);
      // each measured on its own predictions: the Brier scores of two different models differ
      assertThat(q1.get("metrics").get("brier").asDouble())
          .isNotEqualTo(q2.get("metrics").get("brier").asDouble());

      // in Java: a replay answers the stored record and records no second shadow row
      PredictionRecord replay =
          augur.predict(
              name, PredictionRequest.defaults().id("s-0"), Observation.of(passengers.get(0)));
      assertThat(replay.version()).isEqualTo("1");
      assertThat(replay.shadow()).isFalse();
      assertThat(augur.history(name, HistoryQuery.newest(1000).shadows()).items()).hasSize(250);
    }
  }

  @Test
  void aShadowThatCannotKeepUpDropsAndCountsAndNeverChangesAnAnswer() throws Exception {
    Path models = dir.resolve("models");
    String name = twoVersions(models);
    try (Augur augur =
        Augur.builder()
            .models(ModelRegistry.builder(models).defaultVersion(name, "1"))
            .history(HistoryStores.sqlite(dir.resolve("burst.db")))
            .shadow(name, "2")
            .shadowQueue(1)
            .build()) {
      List<Observation> obs = new ArrayList<>();
      DriftTest.passengers().forEach(p -> obs.add(Observation.of(p)));
      // what version 1 alone answers for the same batch (a batch's forward pass, as below)
      var alone = augur.models().predictor(name, "1").predictBatch(obs);
      List<PredictionRecord> answered = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        answered.addAll(augur.predictBatch(name, obs));
      }
      int n = answered.size();
      for (int i = 0; i < n; i++) {
        assertThat(answered.get(i).version()).isEqualTo("1");
        assertThat(answered.get(i).prediction()).isEqualTo(alone.get(i % obs.size()));
      }
      // a queue of one cannot take a batch of hundreds at once: most are dropped, none waited
      ShadowStats s = augur.shadowStats(name);
      assertThat(s.dropped()).isGreaterThan(0);
      await(() -> augur.shadowStats(name).recorded() + augur.shadowStats(name).dropped() == n);
      assertThat(augur.shadowStats(name).failed()).isZero();
      // one caller at a time: its own answer never makes the shadow yield
      assertThat(augur.shadowStats(name).skipped()).isZero();
      assertThat(augur.history(name, HistoryQuery.newest(10_000).shadows()).items())
          .hasSize((int) augur.shadowStats(name).recorded());
    }
  }

  @Test
  void underLoadTheShadowYieldsToAnswersInFlightAndNeverChangesOne() throws Exception {
    Path models = dir.resolve("models");
    String name = twoVersions(models);
    try (Augur augur =
        Augur.builder()
            .models(ModelRegistry.builder(models).defaultVersion(name, "1"))
            .history(HistoryStores.sqlite(dir.resolve("yield.db")))
            .shadow(name, "2")
            .shadowYieldAbove(0) // predict only while no answer is in flight
            .build()) {
      List<Observation> obs = new ArrayList<>();
      DriftTest.passengers().subList(0, 40).forEach(p -> obs.add(Observation.of(p)));
      var v1 = augur.models().predictor(name, "1");
      // four callers keep answers in flight until the shadow has yielded at least once
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong answered = new AtomicLong();
      List<Throwable> wrong = new CopyOnWriteArrayList<>();
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        Thread caller =
            new Thread(
                () -> {
                  for (int i = first; !stop.get(); i = (i + 1) % obs.size()) {
                    try {
                      PredictionRecord r = augur.predict(name, obs.get(i));
                      answered.incrementAndGet();
                      assertThat(r.version()).isEqualTo("1");
                      assertThat(r.shadow()).isFalse();
                      // version 1's answer: concurrent callers share a micro-batch, whose
                      // forward pass differs from a lone one in the 7th digit; version 2 (the
                      // forest) differs in the first or second
                      Classification mine = (Classification) r.prediction();
                      Classification alone = (Classification) v1.predict(obs.get(i));
                      assertThat(mine.probabilities().get("survived"))
                          .isCloseTo(alone.probabilities().get("survived"), within(1e-5));
                    } catch (Throwable e) { // collected, asserted on the test's thread
                      wrong.add(e);
                      return;
                    }
                  }
                });
        caller.start();
        callers.add(caller);
      }
      try {
        await(() -> augur.shadowStats(name).skipped() > 0 || !wrong.isEmpty());
      } finally {
        stop.set(true);
        for (Thread caller : callers) {
          caller.join();
        }
      }
      assertThat(wrong).isEmpty();
      long n = answered.get();
      // every answered observation is accounted for: predicted, dropped or skipped
      await(
          () -> {
            ShadowStats s = augur.shadowStats(name);
            return s.recorded() + s.dropped() + s.skipped() == n;
          });
      ShadowStats loaded = augur.shadowStats(name);
      assertThat(loaded.failed()).isZero();
      assertThat(loaded.recorded()).isLessThan(10_000); // all of them fit on one page
      assertThat(augur.history(name, HistoryQuery.newest(10_000).shadows()).items())
          .hasSize((int) loaded.recorded());

      // once the load is gone, the shadow predicts everything again
      augur.predictBatch(name, obs);
      await(() -> augur.shadowStats(name).recorded() == loaded.recorded() + obs.size());
      assertThat(augur.shadowStats(name).skipped()).isEqualTo(loaded.skipped());
    }
  }

  /** Polls until the condition holds, failing after 60 s. */
  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 60 s for the shadow").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}

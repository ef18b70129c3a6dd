package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.charts.XChartRenderer;
import dev.augur.core.Augur;
import dev.augur.core.HistoryStore;
import dev.augur.core.drift.DriftQuery;
import dev.augur.core.drift.DriftReport;
import dev.augur.core.drift.FeatureDrift;
import dev.augur.persistence.HistoryStores;
import dev.augur.persistence.testing.Postgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Drift over HTTP and in Java on the sample Titanic model and real passengers (its held-out split),
 * with a real server on loopback, on SQLite and on PostgreSQL.
 */
class DriftTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path TITANIC = ROOT.resolve("samples/models/titanic/1");

  @TempDir Path dir;

  /** A clock the test moves, so that records land in chosen windows. */
  static final class MovingClock extends Clock {
    volatile Instant now;

    MovingClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

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
    Path version = Files.createDirectories(models.resolve("titanic/1"));
    for (String f : List.of("model.json", "model.pt")) {
      Files.copy(TITANIC.resolve(f), version.resolve(f));
    }
    List<Map<String, Object>> passengers = passengers();
    // a random base day, so that runs on a shared PostgreSQL never see each other's windows
    Instant t0 =
        Instant.parse("2021-01-01T00:00:00Z")
            .plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(0, 20_000)));
    Instant t1 = t0.plus(Duration.ofDays(1));
    Instant t2 = t1.plus(Duration.ofDays(1));
    MovingClock clock = new MovingClock(t0);
    Augur augur = Augur.builder().models(models).history(store).clock(clock).build();
    try (AugurServer server =
        AugurServer.builder(augur)
            .port(0)
            .charts(XChartRenderer.create())
            .ownsAugur(true)
            .accessLog(false)
            .build()
            .start()) {
      Client c = new Client(server.port());
      // the reference day: every held-out passenger; the next day from t1 on (windows touch at
      // t1): first-class passengers only, and no age known
      predict(c, passengers);
      clock.now = t1;
      List<Map<String, Object>> firstClass = new ArrayList<>();
      for (Map<String, Object> p : passengers) {
        if (p.get("class").equals("1st")) {
          Map<String, Object> q = new LinkedHashMap<>(p);
          q.put("age", null);
          firstClass.add(q);
        }
      }
      predict(c, firstClass);
      clock.now = t2.plusSeconds(5);
      predict(c, passengers.subList(0, 10));

      String windows = "reference_from=" + t0 + "&reference_to=" + t1 + "&from=" + t1 + "&to=" + t2;
      JsonNode d = c.get("/models/titanic/drift?" + windows).json(200);
      assertThat(d.get("model").asText()).isEqualTo("titanic");
      assertThat(d.get("threshold").asDouble()).isEqualTo(0.2);
      assertThat(d.at("/reference/count").asLong()).isEqualTo(passengers.size());
      assertThat(d.at("/reference/source").asText()).isEqualTo("history");
      assertThat(d.at("/current/count").asLong()).isEqualTo(firstClass.size());
      assertThat(d.at("/current/from").asText()).isEqualTo(t1.toString());
      List<String> names = new ArrayList<>();
      d.get("features").forEach(f -> names.add(f.get("name").asText()));
      assertThat(names)
          .containsExactly(
              "gender", "age", "class", "embarked", "fare", "sibsp", "parch", "prediction");
      assertThat(d.at("/features/1/type").asText()).isEqualTo("number");
      assertThat(d.at("/features/7/type").asText()).isEqualTo("prediction");
      assertThat(d.at("/features/0/metric").asText()).isEqualTo("psi");
      // every first-class passenger: class, fare and age (all null now) moved a lot
      assertThat(Json.mapper().convertValue(d.get("drifted"), List.class))
          .contains("class", "fare", "age", "prediction");
      // the Java API gives the same numbers
      DriftReport java =
          augur.drift("titanic", DriftQuery.builder().reference(t0, t1).window(t1, t2).build());
      for (int i = 0; i < java.features().size(); i++) {
        FeatureDrift f = java.features().get(i);
        assertThat(d.at("/features/" + i + "/value").asDouble())
            .as(f.name())
            .isEqualTo(f.value().orElseThrow());
      }
      // a window against itself has not drifted at all
      JsonNode same =
          c.get(
                  "/models/titanic/drift?reference_from="
                      + t0
                      + "&reference_to="
                      + t1
                      + "&from="
                      + t0
                      + "&to="
                      + t1)
              .json(200);
      same.get("features").forEach(f -> assertThat(f.get("value").asDouble()).isZero());
      assertThat(same.get("drifted")).isEmpty();
      // fewer than 30 rows (the 10 after t2), and an empty window: no values, nothing drifted
      for (String w :
          List.of(
              "&from=" + t2 + "&to=" + t2.plusSeconds(60),
              "&from=" + t2.plusSeconds(60) + "&to=" + t2.plusSeconds(120))) {
        JsonNode few =
            c.get("/models/titanic/drift?reference_from=" + t0 + "&reference_to=" + t1 + w)
                .json(200);
        few.get("features").forEach(f -> assertThat(f.get("value").isNull()).isTrue());
        few.get("features").forEach(f -> assertThat(f.get("drifted").asBoolean()).isFalse());
        assertThat(few.get("drifted")).isEmpty();
      }
      // reference_to defaults to from: the windows touch
      JsonNode touching =
          c.get("/models/titanic/drift?reference_from=" + t0 + "&from=" + t1 + "&to=" + t2)
              .json(200);
      assertThat(touching.at("/reference/to").asText()).isEqualTo(t1.toString());
      assertThat(touching.at("/reference/count").asLong()).isEqualTo(passengers.size());

      // no reference window and no profile: 422 naming the missing reference
      JsonNode none = c.get("/models/titanic/drift?from=" + t1 + "&to=" + t2).json(422);
      assertThat(none.at("/errors/0/field").asText()).isEqualTo("reference_from");
      assertThat(none.get("detail").asText()).contains("profile.json");
      // bad parameters: 400 naming each
      assertThat(
              c.get("/models/titanic/drift?from=yesterday")
                  .json(400)
                  .at("/errors/0/field")
                  .asText())
          .isEqualTo("from");
      assertThat(
              c.get("/models/titanic/drift?threshold=high")
                  .json(400)
                  .at("/errors/0/field")
                  .asText())
          .isEqualTo("threshold");
      assertThat(
              c.get("/models/titanic/drift?threshold=-1").json(400).at("/errors/0/field").asText())
          .isEqualTo("threshold");
      assertThat(
              c.get("/models/titanic/drift?from=" + t2 + "&to=" + t1)
                  .json(400)
                  .at("/errors/0/field")
                  .asText())
          .isEqualTo("from");
      assertThat(
              c.get("/models/titanic/drift?reference_to=" + t1)
                  .json(400)
                  .at("/errors/0/field")
                  .asText())
          .isEqualTo("reference_from");
      c.get("/models/nope/drift").json(404);
      c.get("/models/titanic/drift?version=9&reference_from=" + t0).json(404);

      // the training profile, written by the profile subcommand from the held-out CSV
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int exit =
          new CommandLine(new ProfileCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
              .execute(
                  "--model", version.toString(), "--csv", TITANIC.resolve("test.csv").toString());
      assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("329 rows, 7 features and the prediction");
      JsonNode vsProfile = c.get("/models/titanic/drift?from=" + t0 + "&to=" + t1).json(200);
      assertThat(vsProfile.at("/reference/source").asText()).isEqualTo("profile");
      assertThat(vsProfile.at("/reference/count").asLong()).isEqualTo(329);
      assertThat(vsProfile.at("/reference/from").isNull()).isTrue();
      // the same passengers as the profile, through the model and the history: no drift
      // (a prediction may differ in its last bits between batch sizes: the prediction gets slack)
      vsProfile
          .get("features")
          .forEach(
              f ->
                  assertThat(f.get("value").asDouble())
                      .as(f.toString())
                      .isLessThan(f.get("name").asText().equals("prediction") ? 0.05 : 1e-9));
      JsonNode drifted =
          c.get("/models/titanic/drift?from=" + t1 + "&to=" + t2 + "&threshold=0.5").json(200);
      assertThat(drifted.get("threshold").asDouble()).isEqualTo(0.5);
      assertThat(Json.mapper().convertValue(drifted.get("drifted"), List.class))
          .contains("class", "age");

      // the chart, in each format
      for (String ext : List.of("png", "svg", "jpeg")) {
        Reply img = c.get("/models/titanic/charts/drift." + ext + "?from=" + t1 + "&to=" + t2);
        assertThat(img.status()).as(img.text()).isEqualTo(200);
        assertThat(img.type()).startsWith("image/");
        assertThat(img.bytes().length).isGreaterThan(1000);
      }
      assertThat(
              c.get("/models/titanic/charts/drift.png?from=" + t2 + "&to=" + t2.plusSeconds(60))
                  .status())
          .isEqualTo(404);
      assertThat(c.get("/models/titanic/charts/drift.png?from=nope").status()).isEqualTo(400);
    }
  }

  private static void predict(Client c, List<Map<String, Object>> observations) throws Exception {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode instances = body.putArray("instances");
    observations.forEach(o -> instances.add(Json.mapper().valueToTree(o)));
    JsonNode r = c.post("/models/titanic/predict", body.toString()).json(200);
    assertThat(r.get("predictions")).hasSize(observations.size());
  }

  /** The held-out passengers of the sample model, as observations. */
  static List<Map<String, Object>> passengers() throws IOException {
    List<String> lines = Files.readAllLines(TITANIC.resolve("test.csv"));
    String[] header = lines.get(0).split(",");
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      Map<String, Object> o = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        if (header[i].equals("target")) {
          continue;
        }
        String v = cells[i];
        boolean number = List.of("age", "fare", "sibsp", "parch").contains(header[i]);
        o.put(header[i], v.isEmpty() ? null : number ? Double.valueOf(v) : v);
      }
      out.add(o);
    }
    return out;
  }

  record Reply(int status, String type, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    JsonNode json(int expected) throws IOException {
      assertThat(status).as(text()).isEqualTo(expected);
      return Json.mapper().readTree(bytes);
    }
  }

  static final class Client {
    final int port;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Client(int port) {
      this.port = port;
    }

    Reply get(String path) throws Exception {
      return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply post(String path, String json) throws Exception {
      return send(
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply put(String path, String json) throws Exception {
      return send(
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    private Reply send(HttpRequest.Builder b) throws Exception {
      HttpResponse<byte[]> r =
          http.send(
              b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
    }
  }
}

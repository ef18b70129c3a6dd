package dev.augur.persistence.bench;

import dev.augur.core.Classification;
import dev.augur.core.HistoryStore;
import dev.augur.core.Observation;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Task;
import dev.augur.core.drift.Drift;
import dev.augur.core.drift.DriftQuery;
import dev.augur.core.drift.DriftReport;
import dev.augur.core.drift.Profile;
import dev.augur.core.model.ModelManifest;
import dev.augur.persistence.HistoryStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * What drift costs on 1,000,000 recorded predictions of the sample Titanic model, on SQLite and
 * PostgreSQL: a window of half a million rows against the half million before it, and the whole
 * million against the training profile. Each figure is the median of 5 runs after a warm-up,
 * measured twice: on the freshly loaded table, and after {@code VACUUM (ANALYZE)} (PostgreSQL) or
 * {@code ANALYZE} (SQLite), which is how a table that has lived a while looks (autovacuum visits a
 * PostgreSQL table after bulk inserts; until then an index-only count still reads every row's heap
 * page to check its visibility). Usage: {@code DriftBenchMain [rows]} (from the repository root: it
 * reads the sample's model.json and profile.json).
 */
public final class DriftBenchMain {
  private static final String PG =
      System.getenv()
          .getOrDefault("AUGUR_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test");
  private static final Instant T0 = Instant.parse("2003-01-01T00:00:00Z");

  private DriftBenchMain() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path titanic = Path.of("samples/models/titanic/1");
    ModelManifest manifest = ModelManifest.read(titanic);
    Profile profile = Profile.find(titanic).orElseThrow();
    Path dir = Files.createTempDirectory("augur-drift-bench");
    System.out.println(
        "| database | table | rows in the history | comparison | sample read per window | drift"
            + " time (median of 5) | min |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String db : List.of("sqlite", "postgresql")) {
      String url = db.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve("drift.db") : PG;
      try (HistoryStore store = HistoryStores.builder(url).build()) {
        String model = manifest.name();
        store.purgeOlderThan(T0.plus(Duration.ofDays(30))); // an earlier run's rows
        load(store, model, rows);
        Instant mid = T0.plusMillis(rows / 2);
        Instant end = T0.plusMillis(rows);
        DriftQuery windows = DriftQuery.builder().reference(T0, mid).window(mid, end).build();
        DriftQuery all = DriftQuery.builder().window(T0, end).build();
        for (String table : List.of("just loaded", "analyzed")) {
          if (table.equals("analyzed")) {
            analyze(db, url);
          }
          time(
              db + " | " + table,
              rows,
              "second half against the first (2 × " + rows / 2 / 1000 + "k rows)",
              manifest,
              windows,
              store,
              profile);
          time(
              db + " | " + table,
              rows,
              "all " + rows / 1000 + "k rows against profile.json",
              manifest,
              all,
              store,
              profile);
        }
        store.purgeOlderThan(T0.plus(Duration.ofDays(30)));
      }
    }
  }

  private static void time(
      String db,
      int rows,
      String what,
      ModelManifest m,
      DriftQuery q,
      HistoryStore store,
      Profile profile) {
    Instant now = Instant.now();
    DriftReport warm = Drift.compare(m, q, store, profile, now);
    long[] ns = new long[5];
    for (int i = 0; i < ns.length; i++) {
      long t = System.nanoTime();
      Drift.compare(m, q, store, profile, now);
      ns[i] = System.nanoTime() - t;
    }
    Arrays.sort(ns);
    System.out.printf(
        "| %s | %,d | %s | %,d | %.0f ms | %.0f ms |%n",
        db,
        rows,
        what + " — drifted " + warm.drifted(),
        Math.min(q.sampleSize(), warm.current().count()),
        ns[2] / 1e6,
        ns[0] / 1e6);
  }

  /** What autovacuum (PostgreSQL) or an occasional ANALYZE (SQLite) does to a lived-in table. */
  private static void analyze(String db, String url) throws Exception {
    String jdbc = db.equals("sqlite") ? url : RetentionBenchMain.jdbc(url);
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement s = c.createStatement()) {
      s.execute(db.equals("sqlite") ? "ANALYZE" : "VACUUM (ANALYZE) augur_prediction");
    }
  }

  /** Titanic-like passengers, the second half older and richer than the first. */
  private static void load(HistoryStore store, String model, int rows) {
    Random rnd = new Random(17);
    List<PredictionRecord> chunk = new ArrayList<>(10_000);
    String[] classes = {"1st", "2nd", "3rd"};
    String[] ports = {"S", "C", "Q"};
    for (int i = 0; i < rows; i++) {
      boolean later = i >= rows / 2;
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("gender", rnd.nextDouble() < 0.64 ? "male" : "female");
      o.put(
          "age",
          rnd.nextDouble() < 0.02
              ? null
              : Math.max(0.5, 30 + rnd.nextGaussian() * 14 + (later ? 8 : 0)));
      o.put("class", classes[later ? rnd.nextInt(2) : rnd.nextInt(3)]);
      o.put("embarked", ports[rnd.nextInt(3)]);
      o.put("fare", Math.exp(2.7 + rnd.nextGaussian() + (later ? 0.5 : 0)));
      o.put("sibsp", rnd.nextInt(3));
      o.put("parch", rnd.nextInt(2));
      double p = rnd.nextDouble() * (later ? 1 : 0.8);
      Map<String, Double> probs = new LinkedHashMap<>();
      probs.put("died", 1 - p);
      probs.put("survived", p);
      chunk.add(
          PredictionRecord.of(
              "d" + i,
              model,
              "1",
              T0.plusMillis(i),
              Observation.of(o),
              new Classification(
                  Task.BINARY_CLASSIFICATION,
                  p >= 0.5 ? "survived" : "died",
                  probs,
                  Optional.of("survived")),
              0.2));
      if (chunk.size() == 10_000) {
        store.recordAll(chunk);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      store.recordAll(chunk);
    }
  }
}

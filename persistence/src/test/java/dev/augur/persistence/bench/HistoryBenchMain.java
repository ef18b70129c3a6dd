package dev.augur.persistence.bench;

import dev.augur.core.Classification;
import dev.augur.core.HistoryStore;
import dev.augur.core.Observation;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Task;
import dev.augur.core.history.QualitySpec;
import dev.augur.persistence.HistoryStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * History store benchmark: durable records/s with group commit against one transaction per record
 * (1 and 16 writers, SQLite and PostgreSQL), then lookups and quality over 1,000,000 labelled rows.
 * Bounded: each write run lasts {@code seconds}. Usage: {@code HistoryBenchMain [seconds] [rows]
 * [databases]}: {@code rows} 0 skips the read part, {@code databases} is {@code sqlite}, {@code
 * postgresql} or both (comma-separated, the default).
 */
public final class HistoryBenchMain {
  private static final QualitySpec SPEC =
      new QualitySpec(
          Task.BINARY_CLASSIFICATION, List.of("died", "survived"), Optional.of("survived"), 0);
  private static final String PG =
      System.getenv()
          .getOrDefault("AUGUR_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test");
  private static final String PG_JDBC =
      "jdbc:postgresql://127.0.0.1:5432/"
          + PG.substring(PG.lastIndexOf('/') + 1)
          + "?user=postgres";

  private HistoryBenchMain() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    List<String> dbs = List.of((args.length > 2 ? args[2] : "sqlite,postgresql").split(","));
    Path dir = Files.createTempDirectory("augur-bench");
    System.out.println(
        "| database | writers | one transaction per record | group commit | ratio |");
    System.out.println("|---|---|---|---|---|");
    for (String db : dbs) {
      for (int writers : new int[] {1, 16}) {
        double single = writeRate(open(db, dir, 1), writers, seconds);
        double group = writeRate(open(db, dir, 512), writers, seconds);
        System.out.printf(
            "| %s | %d | %,.0f records/s | %,.0f records/s | %.1f× |%n",
            db, writers, single, group, group / single);
      }
    }
    if (rows == 0) {
      return;
    }
    System.out.println();
    System.out.printf(
        "| database | rows | latest(100) median | by id median | quality (binary) median"
            + " |%n|---|---|---|---|---|%n");
    for (String db : dbs) {
      try (HistoryStore store = open(db, dir, 512)) {
        String model = "bench1m_" + System.nanoTime();
        long t0 = System.nanoTime();
        load(store, model, rows);
        label(db, dir, model);
        double loadS = (System.nanoTime() - t0) / 1e9;
        double latest =
            median(21, () -> store.latest(model, dev.augur.core.history.HistoryQuery.newest(100)));
        double byId = median(101, () -> store.find(model, "r" + (long) (Math.random() * rows)));
        double quality =
            median(5, () -> store.quality(model, SPEC, dev.augur.core.history.QualityQuery.all()));
        System.out.printf(
            "| %s | %,d (loaded in %.0f s) | %.2f ms | %.2f ms | %.0f ms |%n",
            db, rows, loadS, latest, byId, quality);
      }
    }
  }

  private static HistoryStore open(String db, Path dir, int group) {
    return db.equals("sqlite")
        ? HistoryStores.builder(dir.resolve("bench-" + group + ".db")).maxGroup(group).build()
        : HistoryStores.builder(PG).maxGroup(group).poolSize(20).build();
  }

  static Classification prediction(double p) {
    Map<String, Double> probs = new LinkedHashMap<>();
    probs.put("died", 1 - p);
    probs.put("survived", p);
    return new Classification(
        Task.BINARY_CLASSIFICATION, p >= 0.5 ? "survived" : "died", probs, Optional.of("survived"));
  }

  static PredictionRecord record(String model, String id, double p) {
    Map<String, Object> obs = new LinkedHashMap<>();
    obs.put("age", 22.0);
    obs.put("gender", "male");
    obs.put("class", "3rd");
    obs.put("embarked", "S");
    obs.put("fare", 7.25);
    return PredictionRecord.of(
        id, model, "1", Instant.now(), Observation.of(obs), prediction(p), 0.2);
  }

  private static double writeRate(HistoryStore store, int writers, int seconds) throws Exception {
    try (store) {
      String model = "benchw_" + System.nanoTime();
      AtomicLong n = new AtomicLong();
      long t0 = System.nanoTime();
      long end = t0 + seconds * 1_000_000_000L;
      List<Thread> ts = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        // every writer stops by itself at the end of the measuring window
        Thread t =
            new Thread(
                () -> {
                  while (System.nanoTime() < end) {
                    long k = n.incrementAndGet();
                    store.record(record(model, "w" + k, (k % 100) / 100.0));
                  }
                });
        ts.add(t);
        t.start();
      }
      for (Thread t : ts) {
        t.join();
      }
      return store.count(model) / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static void load(HistoryStore store, String model, int rows) {
    List<PredictionRecord> chunk = new ArrayList<>(10_000);
    for (int i = 0; i < rows; i++) {
      chunk.add(record(model, "r" + i, (i * 7919 % 1000) / 1000.0));
      if (chunk.size() == 10_000) {
        store.recordAll(chunk);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      store.recordAll(chunk);
    }
  }

  /** Sets outcomes in bulk (the benchmark needs labelled rows, not a million outcome calls). */
  private static void label(String db, Path dir, String model) throws Exception {
    String url = db.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve("bench-512.db") : PG_JDBC;
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE augur_prediction SET outcome_label = CASE WHEN pred_score > 0.3 THEN 'survived'"
              + " ELSE 'died' END, outcome = CASE WHEN pred_score > 0.3 THEN '\"survived\"' ELSE"
              + " '\"died\"' END, outcome_at = created_at WHERE model = '"
              + model
              + "'");
    }
  }

  private static double median(int runs, Runnable r) {
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      r.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[runs / 2];
  }
}

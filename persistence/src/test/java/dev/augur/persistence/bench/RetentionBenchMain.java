package dev.augur.persistence.bench;

import dev.augur.core.HistoryStore;
import dev.augur.core.PredictionRecord;
import dev.augur.persistence.HistoryStores;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What retention costs on a table of 1,000,000 old rows, on SQLite and PostgreSQL: how long the
 * purge takes, and how 16 writers recording predictions fare meanwhile — without a purge, during
 * the batched purge, and during the one-statement {@code DELETE} it replaces. Bounded: each phase
 * ends with its purge or after {@code seconds}. Usage: {@code RetentionBenchMain [rows] [seconds]}.
 */
public final class RetentionBenchMain {
  private static final String PG =
      System.getenv()
          .getOrDefault("AUGUR_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test");
  private static final Instant OLD = Instant.parse("2001-01-01T00:00:00Z");
  private static final Instant CUTOFF = Instant.parse("2002-01-01T00:00:00Z");
  private static final int WRITERS = 16;

  private RetentionBenchMain() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path dir = Files.createTempDirectory("augur-retention-bench");
    System.out.println(
        "| database | rows purged | what runs beside 16 writers | purge time | purged rows/s"
            + " | writes/s | write p50 | write p99 | slowest write |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (String db : List.of("sqlite", "postgresql")) {
      String url = db.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve("retention.db") : PG;
      try (HistoryStore store = HistoryStores.builder(url).poolSize(24).build()) {
        store.purgeOlderThan(CUTOFF); // leftovers of an earlier run
        Writers idle = Writers.run(store, () -> false, seconds);
        print(db, 0, "nothing (baseline)", 0, idle);

        load(store, rows);
        long[] purged = new long[1];
        Writers batched = during(store, () -> purged[0] = store.purgeOlderThan(CUTOFF), seconds);
        print(db, purged[0], "batched purge (1,000 rows a batch)", batched.purgeNanos, batched);

        load(store, rows);
        Writers single = during(store, () -> purged[0] = oneStatement(db, url), seconds);
        print(db, purged[0], "one DELETE statement", single.purgeNanos, single);
      }
    }
  }

  private static void print(String db, long n, String what, long nanos, Writers w) {
    double s = nanos / 1e9;
    System.out.printf(
        "| %s | %,d | %s | %s | %s | %,.0f | %.1f ms | %.1f ms | %.0f ms |%n",
        db,
        n,
        what,
        nanos == 0 ? "—" : String.format("%.1f s", s),
        nanos == 0 ? "—" : String.format("%,.0f", n / s),
        w.rate,
        w.percentile(0.50),
        w.percentile(0.99),
        w.percentile(1.0));
  }

  /** Runs the purge while the writers record, until it ends (or {@code seconds} × 30). */
  private static Writers during(HistoryStore store, Runnable purge, int seconds) throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    long t0 = System.nanoTime();
    CompletableFuture<Long> p =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                purge.run();
                return System.nanoTime() - t0;
              } finally {
                done.set(true);
              }
            });
    Writers w = Writers.run(store, done::get, seconds * 30);
    w.purgeNanos = p.get();
    return w;
  }

  private static long oneStatement(String db, String url) {
    String jdbc = db.equals("sqlite") ? url : jdbc(url);
    try (Connection c = DriverManager.getConnection(jdbc);
        PreparedStatement s =
            c.prepareStatement("DELETE FROM augur_prediction WHERE created_at < ?")) {
      s.setLong(1, CUTOFF.getEpochSecond() * 1_000_000L);
      return s.executeUpdate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code postgres://user@host:port/db} as a JDBC URL. */
  static String jdbc(String url) {
    URI u = URI.create(url);
    return "jdbc:postgresql://"
        + u.getHost()
        + ":"
        + u.getPort()
        + u.getPath()
        + (u.getUserInfo() == null ? "" : "?user=" + u.getUserInfo().split(":")[0]);
  }

  private static void load(HistoryStore store, int rows) {
    String model = "retention_old";
    List<PredictionRecord> chunk = new ArrayList<>(10_000);
    for (int i = 0; i < rows; i++) {
      PredictionRecord r = HistoryBenchMain.record(model, "o" + System.nanoTime() + "-" + i, 0.3);
      chunk.add(
          PredictionRecord.of(
              r.id(), model, "1", OLD.plusMillis(i), r.observation(), r.prediction(), 0.2));
      if (chunk.size() == 10_000) {
        store.recordAll(chunk);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      store.recordAll(chunk);
    }
  }

  /** 16 threads recording new predictions as fast as they are acknowledged. */
  static final class Writers {
    double rate;
    long purgeNanos;
    private long[] latencies = new long[0];

    static Writers run(HistoryStore store, BooleanSupplier stop, int seconds) throws Exception {
      String model = "retention_live_" + System.nanoTime();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      // until the purge ends; without one (or if it hangs) for `seconds`
      BooleanSupplier over = () -> stop.getAsBoolean() || System.nanoTime() > end;
      long[][] each = new long[WRITERS][1_000_000];
      int[] counts = new int[WRITERS];
      List<Thread> threads = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int w = 0; w < WRITERS; w++) {
        int me = w;
        Thread t =
            new Thread(
                () -> {
                  int k = 0;
                  while (!over.getAsBoolean() || k == 0) {
                    long s = System.nanoTime();
                    store.record(HistoryBenchMain.record(model, me + "-" + k, 0.5));
                    if (k < each[me].length) {
                      each[me][k] = System.nanoTime() - s;
                    }
                    k++;
                  }
                  counts[me] = Math.min(k, each[me].length);
                });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      Writers out = new Writers();
      out.rate = store.count(model) / ((System.nanoTime() - t0) / 1e9);
      int total = Arrays.stream(counts).sum();
      out.latencies = new long[total];
      int at = 0;
      for (int w = 0; w < WRITERS; w++) {
        System.arraycopy(each[w], 0, out.latencies, at, counts[w]);
        at += counts[w];
      }
      Arrays.sort(out.latencies);
      return out;
    }

    double percentile(double q) {
      if (latencies.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1);
      return latencies[Math.max(0, i)] / 1e6;
    }
  }
}

package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.HistoryStore;
import dev.augur.core.Observation;
import dev.augur.core.Outcome;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import dev.augur.persistence.testing.Postgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retention on SQLite and PostgreSQL: bounded batches, every model, the writer never blocked. */
class RetentionTest {
  @TempDir Path dir;

  private HistoryStores.Builder builder(String db) {
    if (db.equals("postgresql")) {
      Postgres.assumeAvailable();
      return HistoryStores.builder(Postgres.URL);
    }
    return HistoryStores.builder(dir.resolve("history.db"));
  }

  private static PredictionRecord rec(String model, String id, Instant at) {
    return PredictionRecord.of(
        id, model, "1", at, Observation.of(Map.of("x", 1)), new Regression(1), 1.0);
  }

  private static String model() {
    return "r_" + UUID.randomUUID().toString().substring(0, 8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void purgesOldRecordsOfEveryModelInBatchesOfAtMostTheBatchSize(String db) {
    String a = model();
    String b = model();
    // far in the past, so that the purge touches only what this test wrote
    Instant old = Instant.parse("1991-01-01T00:00:00Z");
    Instant cutoff = Instant.parse("1991-06-01T00:00:00Z");
    try (HistoryStore store = builder(db).retentionBatchSize(100).build()) {
      List<PredictionRecord> batch = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        batch.add(rec(a, "a" + i, old.plusSeconds(i)));
        batch.add(rec(b, "b" + i, old.plusSeconds(i)));
      }
      batch.add(rec(a, "a-new", cutoff.plusSeconds(1)));
      batch.add(rec(b, "b-new", Instant.now()));
      store.recordAll(batch);
      List<Integer> batches = new CopyOnWriteArrayList<>();
      ((JdbiHistoryStore) store).retentionForTests().onBatch = batches::add;

      assertThat(store.purgeOlderThan(cutoff)).isGreaterThanOrEqualTo(500L);

      assertThat(store.count(a)).isEqualTo(1);
      assertThat(store.count(b)).isEqualTo(1);
      assertThat(store.find(a, "a-new")).isPresent();
      assertThat(batches).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(100));
      assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(500);
      assertThat(batches.stream().filter(n -> n == 100).count())
          .as(batches.toString())
          .isGreaterThanOrEqualTo(4);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aRetentionPeriodPurgesInTheBackground(String db) throws Exception {
    String m = model();
    HistoryStores.Builder b =
        builder(db).retention(Duration.ofDays(90)).retentionFirstDelay(Duration.ofMillis(100));
    try (HistoryStore store = b.build()) {
      Instant now = Instant.now();
      store.recordAll(
          List.of(
              rec(m, "old", now.minus(Duration.ofDays(91))),
              rec(m, "older", now.minus(Duration.ofDays(400))),
              rec(m, "recent", now.minus(Duration.ofDays(89)))));
      // a round purges every model in the database (on a shared PostgreSQL, others' old rows
      // too, in paced batches), so wait for the first whole round rather than for a fixed time
      Retention retention = ((JdbiHistoryStore) store).retentionForTests();
      assertThat(retention.firstRound.await(5, java.util.concurrent.TimeUnit.MINUTES))
          .as("a retention round finished")
          .isTrue();
      assertThat(store.count(m)).as("only the record within 90 days is left").isEqualTo(1);
      assertThat(store.find(m, "recent")).isPresent();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void theWriterKeepsCommittingWhileALargePurgeRuns(String db) throws Exception {
    String m = model();
    Instant old = Instant.parse("1992-01-01T00:00:00Z");
    // a short busy timeout: a purge batch that polled for SQLite's lock would miss the moments a
    // writer committing back to back leaves it free, and fail when the timeout ran out
    try (HistoryStore store =
        builder(db).retentionBatchSize(200).busyTimeout(Duration.ofSeconds(2)).build()) {
      List<PredictionRecord> rows = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        rows.add(rec(m, "o" + i, old.plusMillis(i)));
        if (rows.size() == 2000) {
          store.recordAll(rows);
          rows.clear();
        }
      }
      ExecutorService purger = Executors.newSingleThreadExecutor();
      try {
        Future<Long> purged = purger.submit(() -> store.purgeOlderThan(old.plusSeconds(3600)));
        // predictions recorded meanwhile are committed, each well within the write timeout
        int written = 0;
        long slowest = 0;
        while (!purged.isDone() || written < 20) {
          long t0 = System.nanoTime();
          store.record(rec(m, "live" + written, Instant.now()));
          slowest = Math.max(slowest, System.nanoTime() - t0);
          written++;
        }
        assertThat(purged.get())
            .isGreaterThanOrEqualTo(20_000L); // PostgreSQL: others' old rows too
        assertThat(store.count(m)).isEqualTo(written);
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(2));
      } finally {
        purger.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void outcomesAreRecordedWhileTheWriterCommitsBackToBack(String db) throws Exception {
    String m = model();
    try (HistoryStore store = builder(db).busyTimeout(Duration.ofSeconds(2)).build()) {
      List<PredictionRecord> rows = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        rows.add(rec(m, "p" + i, Instant.now()));
      }
      store.recordAll(rows);
      AtomicBoolean done = new AtomicBoolean();
      ExecutorService writer = Executors.newSingleThreadExecutor();
      try {
        Future<Integer> live =
            writer.submit(
                () -> {
                  int n = 0;
                  while (!done.get()) {
                    store.record(rec(m, "live" + n++, Instant.now()));
                  }
                  return n;
                });
        long slowest = 0;
        for (int i = 0; i < 30; i++) {
          long t0 = System.nanoTime();
          store.recordOutcome(m, "p" + i, new Outcome.Value(i));
          slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        done.set(true);
        int written = live.get();
        assertThat(written).as("the writer committed meanwhile").isPositive();
        for (int i = 0; i < 30; i++) {
          assertThat(store.find(m, "p" + i).orElseThrow().outcome()).contains(new Outcome.Value(i));
        }
        assertThat(store.count(m)).isEqualTo(30 + written);
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(2));
      } finally {
        done.set(true);
        writer.shutdownNow();
      }
    }
  }

  @Test
  void aRetentionMustBePositive() {
    HistoryStores.Builder b = HistoryStores.builder(dir.resolve("h.db"));
    assertThatThrownBy(() -> b.retention(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention");
    assertThatThrownBy(() -> b.retentionBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.HistoryStore;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.Observation;
import dev.augur.core.OverloadedException;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a caller is told is what happened: a request that does not fit the write queue is written
 * not at all, a request withdrawn after the write timeout is never committed later, and one the
 * writer had already begun is answered with its commit. The writer is held inside a transaction by
 * a second connection that locks the SQLite file.
 */
class WriterSemanticsTest {
  @TempDir Path dir;

  @Test
  void aRequestThatDoesNotFitTheQueueIsNotWrittenAtAll() throws Exception {
    Path file = dir.resolve("history.db");
    HistoryStores.Builder b = HistoryStores.builder(file).maxQueue(10);
    try (HistoryStore store = b.build();
        Connection lock = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = lock.createStatement()) {
      GroupCommitWriter writer = ((JdbiHistoryStore) store).writerForTests();
      st.execute("BEGIN EXCLUSIVE");
      CompletableFuture<PredictionRecord> held =
          CompletableFuture.supplyAsync(() -> store.record(rec("held")));
      await(() -> writer.claimed() == 1);
      CompletableFuture<List<PredictionRecord>> queued =
          CompletableFuture.supplyAsync(() -> store.recordAll(recs("queued-", 8)));
      await(() -> writer.queued() == 8);
      assertThatThrownBy(() -> store.recordAll(recs("overflow-", 5)))
          .isInstanceOf(OverloadedException.class);
      st.execute("ROLLBACK");
      held.get(30, TimeUnit.SECONDS);
      assertThat(queued.get(30, TimeUnit.SECONDS)).hasSize(8);
      for (int i = 0; i < 5; i++) {
        assertThat(store.find("m", "overflow-" + i)).as("overflow-" + i).isEmpty();
      }
      assertThat(store.count("m")).isEqualTo(9);
    }
  }

  @Test
  void aRequestAnswered503AfterTheWriteTimeoutIsNeverCommittedLater() throws Exception {
    Path file = dir.resolve("history.db");
    HistoryStores.Builder b = HistoryStores.builder(file).writeTimeout(Duration.ofMillis(300));
    try (HistoryStore store = b.build();
        Connection lock = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = lock.createStatement()) {
      GroupCommitWriter writer = ((JdbiHistoryStore) store).writerForTests();
      st.execute("BEGIN EXCLUSIVE");
      CompletableFuture<PredictionRecord> inCommit =
          CompletableFuture.supplyAsync(() -> store.record(rec("in-commit")));
      await(() -> writer.claimed() == 1);
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> store.record(rec("withdrawn")))
          .isInstanceOf(HistoryUnavailableException.class)
          .hasMessageContaining("nothing was written");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      // past the timeout too, but the writer had begun: it is answered with the commit's outcome
      assertThat(inCommit).isNotDone();
      st.execute("ROLLBACK");
      assertThat(inCommit.get(30, TimeUnit.SECONDS).id()).isEqualTo("in-commit");
      store.record(rec("after"));
      assertThat(store.find("m", "in-commit")).isPresent();
      assertThat(store.find("m", "withdrawn")).as("answered 503, so never written").isEmpty();
    }
  }

  @Test
  void writesRacingCloseAreAnsweredAtOnceNeverLeftToWaitOutTheWriteTimeout() throws Exception {
    // security review L7: a write queued after the writer's last look at the queue used to wait for
    // the whole write timeout (here a minute) before its 503; now it is refused at once
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 10; round++) {
        HistoryStore store =
            HistoryStores.builder(dir.resolve("race-" + round + ".db"))
                .writeTimeout(Duration.ofSeconds(60))
                .build();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Long>> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          String prefix = round + "-" + t + "-";
          writers.add(
              pool.submit(
                  () -> {
                    go.await();
                    long slowest = 0;
                    for (int i = 0; i < 100_000; i++) {
                      long t0 = System.nanoTime();
                      try {
                        store.record(rec(prefix + i));
                      } catch (dev.augur.core.ClosedException e) {
                        return Math.max(slowest, System.nanoTime() - t0);
                      } finally {
                        slowest = Math.max(slowest, System.nanoTime() - t0);
                      }
                    }
                    return slowest;
                  }));
        }
        go.countDown();
        await(() -> store.count("m") > 50);
        store.close();
        for (java.util.concurrent.Future<Long> w : writers) {
          assertThat(Duration.ofNanos(w.get(90, TimeUnit.SECONDS)))
              .as("the slowest write of a thread in round %d", round)
              .isLessThan(Duration.ofSeconds(20));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static List<PredictionRecord> recs(String prefix, int n) {
    List<PredictionRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(rec(prefix + i));
    }
    return out;
  }

  private static PredictionRecord rec(String id) {
    return PredictionRecord.of(
        id, "m", "1", Instant.now(), Observation.of(Map.of("id", id)), new Regression(1), 1);
  }
}

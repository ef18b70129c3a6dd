package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.HistoryStore;
import dev.augur.core.PredictionRecord;
import dev.augur.persistence.testing.Postgres;
import java.io.Writer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresHistoryStoreTest extends HistoryStoreContract {
  @BeforeAll
  static void needsPostgres() {
    Postgres.assumeAvailable();
  }

  @Override
  HistoryStore open() {
    return HistoryStores.open(Postgres.URL);
  }

  @Test
  void theExportStreamsThroughACursorInsideAReadTransaction() throws Exception {
    Instant t = Instant.now();
    List<PredictionRecord> rows = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      rows.add(rec("c" + i, t.plusMillis(i), Map.of("i", i), binary(0.6)));
    }
    store.recordAll(rows);
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Writer slow =
        new Writer() {
          int lines;

          @Override
          public void write(char[] c, int off, int len) {
            if (++lines == 2) {
              stalled.countDown();
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    CompletableFuture<Void> export =
        CompletableFuture.runAsync(() -> store.exportCsv(model, List.of("i"), slow));
    try {
      assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();
      // in autocommit the driver would have read every row and left the backend idle
      String jdbc = DatabaseUrl.parse(Postgres.URL).jdbcUrl();
      try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                      + " AND state = 'idle in transaction'"
                      + " AND query LIKE 'SELECT * FROM augur_prediction WHERE model = % AND shadow = FALSE ORDER BY created_at, id'")) {
        rs.next();
        assertThat(rs.getInt(1))
            .as("a backend holds the export's cursor in a transaction")
            .isPositive();
      }
    } finally {
      release.countDown();
    }
    export.get(60, TimeUnit.SECONDS);
  }
}

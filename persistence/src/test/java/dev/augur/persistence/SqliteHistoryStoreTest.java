package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.HistoryStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteHistoryStoreTest extends HistoryStoreContract {
  @TempDir static Path dir;

  @Override
  HistoryStore open() {
    return HistoryStores.sqlite(dir.resolve("history.db"));
  }

  @Test
  void aHistoryWrittenBeforeShadowsIsMigratedWithItsRowsAnswered() throws Exception {
    Path file = dir.resolve("v1.db");
    // the schema as it was before shadow predictions (V1), with a row in it
    org.flywaydb.core.Flyway.configure()
        .dataSource("jdbc:sqlite:" + file, null, null)
        .locations("classpath:db/augur/sqlite")
        .table("augur_schema_history")
        .target("1")
        .load()
        .migrate();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.Statement st = c.createStatement()) {
      st.executeUpdate(
          "INSERT INTO augur_prediction (model, id, version, task, created_at, observation,"
              + " prediction, pred_label, pred_score, latency_ms) VALUES ('m', 'old', '1',"
              + " 'binary_classification', 1000000, '{\"a\": 1}',"
              + " '{\"label\": \"died\", \"probabilities\": {\"died\": 0.7, \"survived\": 0.3},"
              + " \"_positive\": \"survived\"}', 'died', 0.3, 1.0)");
    }
    try (HistoryStore migrated = HistoryStores.sqlite(file)) {
      dev.augur.core.PredictionRecord old = migrated.find("m", "old").orElseThrow();
      assertThat(old.shadow()).isFalse();
      assertThat(old.version()).isEqualTo("1");
      // the same id now takes a shadow prediction beside it
      migrated.record(withVersion(old, "2").asShadow());
      assertThat(
              migrated
                  .latest("m", dev.augur.core.history.HistoryQuery.newest(10).shadows())
                  .items())
          .singleElement()
          .satisfies(r -> assertThat(r.version()).isEqualTo("2"));
      assertThat(migrated.count("m")).isEqualTo(1);
    }
  }

  @Test
  void isAvailableAndReopensTheSameFileWithoutRecreatingIt() {
    assertThat(store.isAvailable()).isTrue();
    HistoryStore second = HistoryStores.sqlite(dir.resolve("history.db"));
    second.close();
  }
}

package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.HistoryStore;
import dev.augur.core.HistoryStoreException;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.Observation;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import dev.augur.persistence.testing.LoopbackProxy;
import dev.augur.persistence.testing.Postgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store opened before its database answers: unavailable, then the real store once it does. */
class OpenInBackgroundTest {
  @TempDir Path dir;

  /** The test database's URL with its host and port replaced by the proxy's. */
  static String through(LoopbackProxy proxy, String database) {
    URI u = URI.create(Postgres.URL);
    return u.getScheme()
        + "://"
        + (u.getUserInfo() == null ? "" : u.getUserInfo() + "@")
        + "127.0.0.1:"
        + proxy.port()
        + (database == null ? u.getPath() : "/" + database);
  }

  @Test
  void opensWhenTheDatabaseComesUpAndIsUnavailableUntilThen() throws Exception {
    Postgres.assumeAvailable();
    try (LoopbackProxy proxy = new LoopbackProxy(5432)) {
      long t0 = System.nanoTime();
      // the proxy is not started: its port refuses connections, as a database not up yet does
      try (HistoryStore store =
          HistoryStores.builder(through(proxy, null))
              .connectionTimeout(Duration.ofMillis(500))
              .openInBackground()) {
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(store.isAvailable()).isFalse();
        String model = "bg_" + UUID.randomUUID().toString().substring(0, 8);
        PredictionRecord r =
            PredictionRecord.of(
                "r1",
                model,
                "1",
                Instant.now(),
                Observation.of(Map.of("x", 1)),
                new Regression(2),
                1);
        assertThatThrownBy(() -> store.record(r))
            .isInstanceOf(HistoryUnavailableException.class)
            .hasMessageContaining("does not answer yet");
        assertThatThrownBy(() -> store.find(model, "r1"))
            .isInstanceOf(HistoryUnavailableException.class);

        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!store.isAvailable() && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertThat(store.isAvailable()).as("available once the database answers").isTrue();
        store.record(r);
        assertThat(store.find(model, "r1")).isPresent();
      }
    }
  }

  @Test
  void aDatabaseThatAnswersButRefusesUsStillFailsAtOnce() throws Exception {
    Postgres.assumeAvailable();
    try (LoopbackProxy proxy = new LoopbackProxy(5432)) {
      proxy.start();
      assertThatThrownBy(
              () ->
                  HistoryStores.builder(through(proxy, "augur_no_such_database"))
                      .openInBackground()
                      .close())
          .isInstanceOf(HistoryStoreException.class)
          .hasMessageContaining("augur_no_such_database");
    }
  }

  @Test
  void anSqliteFileThatCannotBeOpenedFailsAtOnce() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(
            () ->
                HistoryStores.builder("jdbc:sqlite:" + notAFolder.resolve("h.db"))
                    .openInBackground())
        .isInstanceOf(HistoryStoreException.class);
  }

  @Test
  void anAvailableDatabaseOpensAtOnce() {
    try (HistoryStore store = HistoryStores.builder(dir.resolve("history.db")).openInBackground()) {
      assertThat(store).isInstanceOf(JdbiHistoryStore.class);
      assertThat(store.isAvailable()).isTrue();
      assertThat(store.latest("m", dev.augur.core.history.HistoryQuery.newest(1)).items())
          .isEmpty();
    }
  }
}

package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.HistoryStore;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.Observation;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import dev.augur.persistence.testing.LoopbackProxy;
import dev.augur.persistence.testing.Postgres;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL behind a loopback TCP proxy the test can cut: writes fail fast with a typed exception,
 * readiness turns false, and the store recovers by itself when the proxy is back.
 */
class UnavailableDatabaseTest {
  @BeforeAll
  static void needsPostgres() {
    Postgres.assumeAvailable();
  }

  @Test
  void failsFastWhileTheDatabaseIsDownAndRecoversAfter() throws Exception {
    try (LoopbackProxy proxy = new LoopbackProxy(5432)) {
      proxy.start();
      try (HistoryStore store =
          HistoryStores.builder(Postgres.throughPort(proxy.port()))
              .connectionTimeout(Duration.ofMillis(500))
              .build()) {
        String model = "down_" + System.nanoTime();
        store.record(rec(model, "before"));
        assertThat(store.isAvailable()).isTrue();

        proxy.cut();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> store.record(rec(model, "during")))
            .isInstanceOf(HistoryUnavailableException.class);
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(firstMs).as("first failure within the connection timeout").isLessThan(5_000);
        t0 = System.nanoTime();
        assertThatThrownBy(() -> store.record(rec(model, "during2")))
            .isInstanceOf(HistoryUnavailableException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000)
            .as("later failures are immediate")
            .isLessThan(200);
        assertThat(store.isAvailable()).isFalse();

        proxy.start();
        assertThat(recordsWithin(Duration.ofSeconds(30), store, rec(model, "after"))).isTrue();
        assertThat(store.isAvailable()).isTrue();
        assertThat(store.find(model, "before")).isPresent();
        assertThat(store.find(model, "after")).isPresent();
        assertThat(store.find(model, "during")).isEqualTo(Optional.empty());
      }
    }
  }

  /**
   * Records {@code r} as soon as the store takes it again; false if it has not within {@code d}.
   */
  static boolean recordsWithin(Duration d, HistoryStore store, PredictionRecord r) {
    long deadline = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        store.record(r);
        return true;
      } catch (HistoryUnavailableException e) {
        Thread.onSpinWait();
      }
    }
    return false;
  }

  static PredictionRecord rec(String model, String id) {
    return PredictionRecord.of(
        id, model, "1", Instant.now(), Observation.of(Map.of("id", id)), new Regression(1), 1);
  }

  /** Forwards a loopback port to the database; {@link #cut()} drops the listener and every link. */
}

package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.augur.core.HistoryStore;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.PredictionRecord;
import dev.augur.persistence.testing.LoopbackProxy;
import dev.augur.persistence.testing.Postgres;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL that stops answering rather than refusing (a black-holed link, a frozen host): a write
 * the writer has already taken is answered within the write timeout's bounds, not held for the 30 s
 * socket timeout the reads allow, and the store writes again once the database answers.
 */
class StalledDatabaseTest {
  @BeforeAll
  static void needsPostgres() {
    Postgres.assumeAvailable();
  }

  @Test
  void aWriteToADatabaseThatStopsAnsweringIsAnsweredWithinTheWriteTimeoutsBounds()
      throws Exception {
    try (LoopbackProxy proxy = new LoopbackProxy(5432)) {
      proxy.start();
      try (HistoryStore store =
          HistoryStores.builder(Postgres.throughPort(proxy.port()))
              .connectionTimeout(Duration.ofSeconds(1))
              .writeTimeout(Duration.ofSeconds(2))
              .build()) {
        String model = "stall_" + System.nanoTime();
        store.record(rec(model, "before"));

        proxy.stall();
        long t0 = System.nanoTime();
        Throwable thrown = catchThrowable(() -> store.record(rec(model, "during")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(thrown).as("the answer to the stalled write").isNotNull();
        assertThat(thrown).isInstanceOf(HistoryUnavailableException.class);
        assertThat(ms)
            .as("a stalled statement is given up at the write timeout (2 s), not the reads' 30 s")
            .isLessThan(8_000);

        proxy.resume();
        assertThat(
                UnavailableDatabaseTest.recordsWithin(
                    Duration.ofSeconds(30), store, rec(model, "after")))
            .as("writes again once the database answers")
            .isTrue();
        assertThat(store.find(model, "before")).isPresent();
        assertThat(store.find(model, "after")).isPresent();
        assertThat(store.find(model, "during")).as("the failed write left no row").isEmpty();
      }
    }
  }

  private static PredictionRecord rec(String model, String id) {
    return UnavailableDatabaseTest.rec(model, id);
  }
}

package dev.augur.persistence;

import dev.augur.core.HistoryStore;
import dev.augur.persistence.testing.Postgres;
import org.junit.jupiter.api.BeforeAll;

class PostgresHistoryStoreTest extends HistoryStoreContract {
  @BeforeAll
  static void needsPostgres() {
    Postgres.assumeAvailable();
  }

  @Override
  HistoryStore open() {
    return HistoryStores.open(Postgres.URL);
  }
}

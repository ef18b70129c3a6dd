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
  void isAvailableAndReopensTheSameFileWithoutRecreatingIt() {
    assertThat(store.isAvailable()).isTrue();
    HistoryStore second = HistoryStores.sqlite(dir.resolve("history.db"));
    second.close();
  }
}

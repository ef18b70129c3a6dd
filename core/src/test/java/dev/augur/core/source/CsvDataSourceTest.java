package dev.augur.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.DataSourceException;
import dev.augur.core.KeyNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataSourceTest {
  @TempDir Path dir;

  private static CsvDataSource spiSlice() {
    return dev.augur.core.testing.Fixtures.stocks();
  }

  @Test
  void longFormatListsKeysAndFetchesTheLastPointsOldestFirst() {
    try (CsvDataSource s = spiSlice()) {
      assertThat(s.keys()).containsExactly("FINA", "HLTH", "SPI");
      List<Point> last = s.fetch("HLTH", 3);
      assertThat(last)
          .extracting(Point::t)
          .containsExactly(
              LocalDate.parse("2008-10-15"),
              LocalDate.parse("2008-10-16"),
              LocalDate.parse("2008-10-17"));
      assertThat(last.get(2).y()).isEqualTo(1141.9);
      assertThat(s.fetch("SPI", 1000)).hasSize(60);
    }
  }

  @Test
  void wideFormatHasOneKeyPerColumn() throws IOException {
    Path f = dir.resolve("wide.csv");
    Files.writeString(
        f,
        "date,DAX,SMI\n1991-07-01,1628.75,1678.1\n1991-07-02,1613.63,1688.5\n1991-07-03,1606.51,\n");
    try (CsvDataSource s = CsvDataSource.builder("eu").file(f).time("date").build()) {
      assertThat(s.keys()).containsExactly("DAX", "SMI");
      assertThat(s.fetch("DAX", 2)).extracting(Point::y).containsExactly(1613.63, 1606.51);
      assertThat(s.fetch("SMI", 5)).hasSize(2);
    }
  }

  @Test
  void rowsAreTypedObservations() {
    try (CsvDataSource s = spiSlice()) {
      assertThat(s.row("FINA").orElseThrow())
          .containsEntry("symbol", "FINA")
          .containsEntry("date", "2008-10-17");
    }
  }

  @Test
  void unknownKeyIsATypedNotFound() {
    try (CsvDataSource s = spiSlice()) {
      assertThatThrownBy(() -> s.fetch("NOPE", 5))
          .isInstanceOf(KeyNotFoundException.class)
          .hasMessageContaining("NOPE");
    }
  }

  @Test
  void aMalformedRowNamesTheFileAndLine() throws IOException {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "symbol,date,close\nA,2020-01-01,1\nA,2020-01-02,abc\n");
    try (CsvDataSource s =
        CsvDataSource.builder("bad").file(f).key("symbol").time("date").value("close").build()) {
      assertThatThrownBy(s::keys)
          .isInstanceOf(DataSourceException.class)
          .hasMessageContaining("bad.csv")
          .hasMessageContaining("line 3")
          .hasMessageContaining("close");
    }
    Files.writeString(f, "symbol,date,close\nA,yesterday,1\n");
    try (CsvDataSource s =
        CsvDataSource.builder("bad").file(f).key("symbol").time("date").value("close").build()) {
      assertThatThrownBy(s::keys).hasMessageContaining("line 2").hasMessageContaining("date");
    }
  }

  @Test
  void aMissingColumnIsNamed() throws IOException {
    Path f = dir.resolve("cols.csv");
    Files.writeString(f, "ticker,date,close\nA,2020-01-01,1\n");
    try (CsvDataSource s =
        CsvDataSource.builder("c").file(f).key("symbol").time("date").value("close").build()) {
      assertThatThrownBy(s::keys).hasMessageContaining("no column 'symbol'");
    }
  }

  @Test
  void aChangedFileIsReadAgainButAnUnchangedOneIsNot() throws IOException {
    Path f = dir.resolve("live.csv");
    Files.writeString(f, "symbol,date,close\nA,2020-01-01,1\n");
    try (CsvDataSource s =
        CsvDataSource.builder("live").file(f).key("symbol").time("date").value("close").build()) {
      assertThat(s.fetch("A", 5).get(0).y()).isEqualTo(1.0);
      FileTime stamp = Files.getLastModifiedTime(f);
      Files.writeString(f, "symbol,date,close\nA,2020-01-01,9\n");
      Files.setLastModifiedTime(f, stamp);
      assertThat(s.fetch("A", 5).get(0).y())
          .as("served from the index, not re-read")
          .isEqualTo(1.0);
      Files.writeString(f, "symbol,date,close\nA,2020-01-01,1\nA,2020-01-02,2\nB,2020-01-01,3\n");
      Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
      assertThat(s.keys()).containsExactly("A", "B");
      assertThat(s.fetch("A", 5)).hasSize(2);
    }
  }
}

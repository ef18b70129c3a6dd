package dev.augur.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.DataSourceException;
import dev.augur.core.SourceNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {
  @TempDir Path dir;

  @Test
  void readsTheDocumentedFormRelativeToTheFolder() throws IOException {
    Files.writeString(
        dir.resolve("stocks.csv"), "symbol,date,close\nSPI,2024-01-02,1\nSPI,2024-01-03,2\n");
    Files.writeString(
        dir.resolve("sources.json"),
        """
        {"sources": [
          {"name": "stocks", "type": "csv", "path": "stocks.csv", "key": "symbol", "time": "date", "value": "close"},
          {"name": "quotes", "type": "http", "url": "https://api.example.com/q/{key}",
           "times": "/chart/timestamps", "values": "/chart/close", "keys": ["AAPL", "MSFT"],
           "timeout_ms": 2000, "retries": 2, "cache_seconds": 60},
          {"name": "warehouse", "type": "jdbc", "url": "jdbc:sqlite::memory:",
           "query": "select day, units from sales where sku = :key order by day",
           "keys_query": "select distinct sku from sales"}
        ]}
        """);
    try (Sources s = Sources.read(dir)) {
      assertThat(s.names()).containsExactly("quotes", "stocks", "warehouse");
      assertThat(s.get("stocks").fetch("SPI", 5)).extracting(Point::y).containsExactly(1.0, 2.0);
      assertThat(s.get("quotes").keys()).containsExactly("AAPL", "MSFT");
      assertThatThrownBy(() -> s.get("nope"))
          .isInstanceOf(SourceNotFoundException.class)
          .hasMessageContaining("[quotes, stocks, warehouse]");
    }
  }

  @Test
  void environmentReferencesAreReplacedAndAMissingOneIsNamed() throws IOException {
    Files.writeString(dir.resolve("prices.csv"), "symbol,date,close\nSPI,2024-01-02,1\n");
    Files.writeString(
        dir.resolve("sources.json"),
        """
        {"sources": [
          {"name": "stocks", "type": "csv", "path": "${env:CSV_FILE}", "key": "symbol", "value": "close"}
        ]}
        """);
    try (Sources s =
        Sources.reader().environment(Map.of("CSV_FILE", "prices.csv")::get).read(dir)) {
      assertThat(s.get("stocks").keys()).containsExactly("SPI");
    }
    assertThatThrownBy(() -> Sources.reader().environment(name -> null).read(dir))
        .isInstanceOf(DataSourceException.class)
        .hasMessageContaining("sources.json")
        .hasMessageContaining("sources[0].path: the environment variable CSV_FILE is not set");
  }

  @Test
  void noFileMeansNoSources() {
    assertThat(Sources.read(dir).isEmpty()).isTrue();
  }

  @Test
  void errorsNameTheFileEntryAndField() throws IOException {
    assertError(
        "{\"sources\": [{\"name\": \"a\", \"type\": \"ftp\"}]}",
        "sources[0] (a).type must be csv, http or jdbc");
    assertError(
        "{\"sources\": [{\"name\": \"a\", \"type\": \"csv\", \"path\": \"missing.csv\"}]}",
        "sources[0] (a).path names");
    assertError("{\"sources\": [{\"type\": \"csv\"}]}", "sources[0].name is required");
    assertError(
        "{\"sources\": [{\"name\": \"q\", \"type\": \"http\", \"url\": \"http://x/{key}\", \"retries\": -1}]}",
        "sources[0] (q).retries must be an integer in 0..10");
    assertError("{\"sources\": 3}", "expected {\"sources\": [ … ]}");
    assertError("{oops", "is not valid JSON");
  }

  private void assertError(String json, String message) throws IOException {
    Files.writeString(dir.resolve("sources.json"), json);
    assertThatThrownBy(() -> Sources.read(dir))
        .isInstanceOf(DataSourceException.class)
        .hasMessageContaining("sources.json")
        .hasMessageContaining(message);
  }
}

package dev.augur.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.DataSourceException;
import dev.augur.core.KeyNotFoundException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcDataSourceTest {
  @TempDir Path dir;
  String url;

  @BeforeEach
  void database() throws Exception {
    url = "jdbc:sqlite:" + dir.resolve("sales.db");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("create table sales(sku text, day text, units real)");
      s.execute(
          "insert into sales values ('A','2024-01-01',3),('A','2024-01-02',5),('A','2024-01-03',4),"
              + "('B','2024-01-01',10),('x'' or ''1''=''1','2024-01-01',99)");
    }
  }

  private JdbcDataSource source() {
    return JdbcDataSource.builder("warehouse", url)
        .query("select day, units from sales where sku = :key order by day")
        .keysQuery("select distinct sku from sales")
        .build();
  }

  @Test
  void fetchesTheLastPointsWithBoundParameters() {
    try (JdbcDataSource s = source()) {
      assertThat(s.keys()).contains("A", "B");
      assertThat(s.fetch("A", 2))
          .extracting(Point::t)
          .containsExactly(LocalDate.parse("2024-01-02"), LocalDate.parse("2024-01-03"));
      assertThat(s.fetch("A", 2)).extracting(Point::y).containsExactly(5.0, 4.0);
    }
  }

  @Test
  void aKeyIsNeverSpliced() {
    try (JdbcDataSource s = source()) {
      assertThatThrownBy(() -> s.fetch("A' or '1'='1", 10))
          .isInstanceOf(KeyNotFoundException.class);
      assertThat(s.fetch("x' or '1'='1", 10)).extracting(Point::y).containsExactly(99.0);
    }
  }

  @Test
  void aBrokenQueryIsATypedFailure() {
    try (JdbcDataSource s =
        JdbcDataSource.builder("w", url)
            .query("select day, units from nowhere where sku = :key")
            .build()) {
      assertThatThrownBy(() -> s.fetch("A", 3))
          .isInstanceOf(DataSourceException.class)
          .hasMessageContaining("source w")
          .hasMessageContaining("nowhere");
    }
  }

  @Test
  void theQueryMustBindTheKey() {
    assertThatThrownBy(
            () -> JdbcDataSource.builder("w", url).query("select day, units from sales").build())
        .hasMessageContaining(":key");
  }
}

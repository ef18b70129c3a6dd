package dev.augur.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.augur.core.DataSourceException;
import dev.augur.core.KeyNotFoundException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
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
          .hasMessageContaining("source w: the query failed")
          .as("the database's own message (SQL text, hosts, paths) is only in the cause")
          .hasMessageNotContaining("nowhere")
          .hasRootCauseMessage(rootMessage(s));
    }
  }

  @Test
  void theQueryMustBindTheKey() {
    assertThatThrownBy(
            () -> JdbcDataSource.builder("w", url).query("select day, units from sales").build())
        .hasMessageContaining(":key");
  }

  private static String rootMessage(JdbcDataSource s) {
    try {
      s.fetch("A", 3);
      throw new AssertionError("expected a failure");
    } catch (DataSourceException e) {
      Throwable c = e;
      while (c.getCause() != null) {
        c = c.getCause();
      }
      assertThat(c.getMessage()).contains("nowhere");
      return c.getMessage();
    }
  }

  @Test
  void takesTheApplicationsPoolAndNeverClosesIt() {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setMaximumPoolSize(2);
    try (HikariDataSource app = new HikariDataSource(c)) {
      try (JdbcDataSource s =
          JdbcDataSource.builder("warehouse", app)
              .query("select day, units from sales where sku = :key order by day")
              .build()) {
        for (int i = 0; i < 200; i++) {
          assertThat(s.fetch("A", 2)).hasSize(2);
        }
        assertThat(app.getHikariPoolMXBean().getTotalConnections()).isBetween(1, 2);
      }
      assertThat(app.isClosed()).as("the application's pool stays open").isFalse();
    }
  }

  @Test
  void keepsOnlyTheLastNRowsAndCachesTheKeys() throws Exception {
    HttpJsonDataSourceTest.MutableClock clock = new HttpJsonDataSourceTest.MutableClock();
    try (JdbcDataSource s =
        JdbcDataSource.builder("warehouse", url)
            .query("select day, units from sales where sku = :key order by day")
            .keysQuery("select distinct sku from sales")
            .keysCache(java.time.Duration.ofSeconds(60))
            .clock(clock)
            .build()) {
      assertThat(s.fetch("A", 1)).extracting(Point::y).containsExactly(4.0);
      assertThat(s.keys()).doesNotContain("C");
      try (Connection c = DriverManager.getConnection(url);
          Statement st = c.createStatement()) {
        st.execute("insert into sales values ('C','2024-01-01',1)");
      }
      assertThat(s.keys()).as("cached").doesNotContain("C");
      clock.now = clock.now.plusSeconds(61);
      assertThat(s.keys()).contains("C");
    }
  }

  @Test
  void aDatabaseThatNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        JdbcDataSource s =
            JdbcDataSource.builder(
                    "w", "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/x?user=u")
                .query("select 1, 2 where :key = :key")
                .connectTimeout(java.time.Duration.ofMillis(1000))
                .build()) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> s.fetch("A", 3))
          .isInstanceOf(DataSourceException.class)
          .hasMessage("source w: no database connection");
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
          .isLessThan(java.time.Duration.ofSeconds(5));
    }
  }

  /** The PostgreSQL of AUGUR_TEST_POSTGRES as a JDBC URL; skipped loudly, or failed under CI. */
  private static String postgres() {
    String u =
        System.getenv()
            .getOrDefault("AUGUR_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test");
    java.net.URI uri = java.net.URI.create(u);
    try (java.net.Socket probe = new java.net.Socket()) {
      probe.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
    } catch (java.io.IOException e) {
      String msg = "PostgreSQL is not reachable at " + uri.getHost() + ":" + uri.getPort();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(msg + " and CI=true", e);
      }
      System.err.println("SKIPPED: " + msg + "; the JDBC source's PostgreSQL tests");
      Assumptions.abort(msg);
    }
    String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":", 2)[0];
    return "jdbc:postgresql://"
        + uri.getHost()
        + ":"
        + uri.getPort()
        + uri.getPath()
        + "?user="
        + user
        + (uri.getUserInfo() != null && uri.getUserInfo().contains(":")
            ? "&password=" + uri.getUserInfo().split(":", 2)[1]
            : "");
  }

  @Test
  void onPostgresqlEveryCallReusesAPooledConnection() {
    try (JdbcDataSource s =
        JdbcDataSource.builder("pids", postgres())
            .query("select current_date, pg_backend_pid() where :key = :key")
            .poolSize(1)
            .build()) {
      Set<Double> backends = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        backends.add(s.fetch("A", 1).get(0).y());
      }
      assertThat(backends).as("one server process served every call").hasSize(1);
    }
  }

  @Test
  void onPostgresqlALongQueryIsCancelledAtTheQueryTimeout() {
    try (JdbcDataSource s =
        JdbcDataSource.builder("slow", postgres())
            .query("select current_date, 1 from pg_sleep(30) where :key = :key")
            .queryTimeout(java.time.Duration.ofSeconds(1))
            .build()) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> s.fetch("A", 1))
          .isInstanceOf(DataSourceException.class)
          .hasMessage("source slow: the query took longer than 1 s");
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
          .isLessThan(java.time.Duration.ofSeconds(10));
    }
  }
}

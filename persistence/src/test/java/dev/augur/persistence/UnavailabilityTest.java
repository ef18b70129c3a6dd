package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.augur.core.HistoryStore;
import dev.augur.core.HistoryStoreException;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.Observation;
import dev.augur.core.Outcome;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import dev.augur.persistence.testing.Postgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one rule that tells "the database cannot serve us now" (503 with Retry-After) from a real
 * failure, on the errors real databases raise: a PostgreSQL backend terminated by an administrator
 * (57P01, what a fast restart does to every connection), too many connections (53300), a refused
 * connection (08001), and SQLite's busy/locked once the busy timeout has passed.
 */
class UnavailabilityTest {
  @TempDir Path dir;

  @Test
  void sqliteBusyBeyondTheBusyTimeoutIsUnavailableOnEveryPath() throws Exception {
    Path file = dir.resolve("history.db");
    HistoryStores.Builder b = HistoryStores.builder(file).busyTimeout(Duration.ofMillis(200));
    try (HistoryStore store = b.build()) {
      store.record(rec("m", "a"));
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = other.createStatement()) {
        st.execute("PRAGMA busy_timeout = 0");
        st.execute("BEGIN EXCLUSIVE");
        assertThatThrownBy(() -> store.record(rec("m", "b")))
            .as("a write")
            .isInstanceOf(HistoryUnavailableException.class);
        assertThatThrownBy(() -> store.recordOutcome("m", "a", new Outcome.Value(2.0)))
            .as("an outcome")
            .isInstanceOf(HistoryUnavailableException.class);
        st.execute("ROLLBACK");
      }
      // the fail-fast window passes; the store is usable again
      long deadline = System.nanoTime() + 5_000_000_000L;
      boolean ok = false;
      while (!ok && System.nanoTime() < deadline) {
        try {
          store.record(rec("m", "c"));
          ok = true;
        } catch (HistoryUnavailableException e) {
          Thread.onSpinWait();
        }
      }
      assertThat(ok).isTrue();
      assertThat(store.find("m", "b")).isEmpty();
    }
  }

  @Test
  void aBackendTerminatedByTheServerIsUnavailable() throws Exception {
    Postgres.assumeAvailable();
    String jdbc = DatabaseUrl.parse(Postgres.URL).jdbcUrl();
    try (Connection victim = DriverManager.getConnection(jdbc, "postgres", "");
        Connection admin = DriverManager.getConnection(jdbc, "postgres", "");
        Statement v = victim.createStatement();
        Statement a = admin.createStatement()) {
      var rs = v.executeQuery("SELECT pg_backend_pid()");
      rs.next();
      int pid = rs.getInt(1);
      a.execute("SELECT pg_terminate_backend(" + pid + ", 5000)");
      SQLException e = (SQLException) catchThrowable(() -> v.executeQuery("SELECT 1"));
      assertThat((Throwable) e).isNotNull();
      assertThat(e.getSQLState()).isIn("57P01", "08006", "08003");
      assertUnavailable(e);
    }
  }

  @Test
  void tooManyConnectionsAndARefusedConnectionAreUnavailable() throws Exception {
    Postgres.assumeAvailable();
    String jdbc = DatabaseUrl.parse(Postgres.URL).jdbcUrl();
    String role = "augur_limited_" + ProcessHandle.current().pid();
    try (Connection admin = DriverManager.getConnection(jdbc, "postgres", "");
        Statement a = admin.createStatement()) {
      a.execute("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 0");
      try {
        SQLException e =
            (SQLException) catchThrowable(() -> DriverManager.getConnection(jdbc, role, ""));
        assertThat(e.getSQLState()).isEqualTo("53300");
        assertUnavailable(e);
      } finally {
        a.execute("DROP ROLE " + role);
      }
    }
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    SQLException refused =
        (SQLException)
            catchThrowable(
                () ->
                    DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + closed + "/x", "postgres", ""));
    assertThat(refused.getSQLState()).startsWith("08");
    assertUnavailable(refused);
  }

  @Test
  void otherFailuresAreNot() throws Exception {
    Postgres.assumeAvailable();
    String jdbc = DatabaseUrl.parse(Postgres.URL).jdbcUrl();
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
        Statement s = c.createStatement()) {
      SQLException e = (SQLException) catchThrowable(() -> s.executeQuery("SELECT * FROM nope"));
      assertThat(Availability.isUnavailable(e)).isFalse();
      RuntimeException r = new Availability(1000).classify(e, "q");
      assertThat(r)
          .isInstanceOf(HistoryStoreException.class)
          .isNotInstanceOf(HistoryUnavailableException.class);
    }
  }

  private static void assertUnavailable(SQLException e) {
    assertThat(Availability.isUnavailable(e)).as(e.getSQLState() + " " + e.getMessage()).isTrue();
    Availability availability = new Availability(1000);
    // as JDBI hands it over: wrapped in its own exception
    RuntimeException r =
        availability.classify(new RuntimeException("statement failed", e), "history query failed");
    assertThat(r).isInstanceOf(HistoryUnavailableException.class);
    assertThat(availability.isUp()).isFalse();
  }

  private static PredictionRecord rec(String model, String id) {
    return PredictionRecord.of(
        id, model, "1", Instant.now(), Observation.of(Map.of("id", id)), new Regression(1), 1);
  }
}

package dev.augur.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The history writer's own connection, outside any pool: opened when first needed, checked when it
 * has been idle, dropped on any failure and opened again by the next commit. Without a pool's retry
 * backoff, the first commit after the database is back connects at once. Its prepared statements
 * are kept for the connection's life (prepared once, not per commit). Used by the writer thread
 * only; not thread-safe.
 */
final class WriterConnection implements AutoCloseable {
  private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String jdbcUrl;
  private final Properties properties;
  private final Dialect dialect;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private Connection connection;
  private long lastUsed;

  WriterConnection(String jdbcUrl, Properties properties) {
    this.jdbcUrl = jdbcUrl;
    this.properties = properties;
    this.dialect = Dialect.of(jdbcUrl);
  }

  Dialect dialect() {
    return dialect;
  }

  /**
   * A statement prepared on the current connection (call {@link #get()} first), kept until the
   * connection is dropped. Callers must not close it.
   */
  PreparedStatement prepared(String sql) throws SQLException {
    PreparedStatement s = statements.get(sql);
    if (s == null) {
      s = connection.prepareStatement(sql);
      statements.put(sql, s);
    }
    return s;
  }

  /** The connection, in a transaction (autocommit off); opened or replaced as needed. */
  Connection get() throws SQLException {
    long now = System.nanoTime();
    if (connection != null && now - lastUsed > CHECK_AFTER_IDLE_NANOS && !connection.isValid(1)) {
      broken();
    }
    if (connection == null) {
      Connection c = DriverManager.getConnection(jdbcUrl, properties);
      try {
        c.setAutoCommit(false);
      } catch (SQLException e) {
        closeQuietly(c);
        throw e;
      }
      connection = c;
    }
    lastUsed = now;
    return connection;
  }

  /** Drops the connection after a failure: the next {@link #get()} opens a new one. */
  void broken() {
    statements.clear();
    if (connection != null) {
      closeQuietly(connection);
      connection = null;
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      // it is broken already
    }
  }

  @Override
  public void close() {
    broken();
  }
}

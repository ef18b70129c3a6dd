package dev.augur.core.source;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.augur.core.DataSource;
import dev.augur.core.DataSourceException;
import dev.augur.core.KeyNotFoundException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Series from a parameterised SQL query over a pool of JDBC connections. The query names {@code
 * :key} (and optionally {@code :n}); they are bound as parameters, never spliced into the SQL. Its
 * first column is the time, its second the value.
 *
 * <p>Connections come from a pool: the application's own {@code javax.sql.DataSource} ({@link
 * #builder(String, javax.sql.DataSource)}, which the source never closes), or a small pool the
 * source creates for a JDBC URL and closes with itself ({@link #builder(String, String)}; the
 * driver must be on the class path). Waiting for a connection and running a query are both bounded;
 * only the last {@code n} rows are kept while the result is read; the keys are cached for a minute.
 * Error messages name the source and what failed, never the SQL text or the database's own message
 * (that is logged). Thread-safe.
 *
 * <pre>{@code
 * DataSource sales = JdbcDataSource.builder("warehouse", "jdbc:postgresql://db/shop")
 *     .credentials("reader", System.getenv("WAREHOUSE_PASSWORD"))
 *     .query("select day, units from sales where sku = :key order by day")
 *     .keysQuery("select distinct sku from sales")
 *     .queryTimeout(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class JdbcDataSource implements DataSource {
  private static final Logger log = LoggerFactory.getLogger(JdbcDataSource.class);
  private static final Pattern PARAM = Pattern.compile(":(key|n)\\b");
  private static final int MAX_KEYS = 100_000;

  private final String name;
  private final javax.sql.DataSource pool;
  private final HikariDataSource owned;
  private final String sql;
  private final List<String> params = new ArrayList<>();
  private final String keysQuery;
  private final int queryTimeoutSeconds;
  private final Duration keysTtl;
  private final Clock clock;
  private volatile CachedKeys cachedKeys;

  private record CachedKeys(List<String> keys, Instant expires) {}

  private JdbcDataSource(Builder b) {
    this.name = b.name;
    StringBuilder out = new StringBuilder();
    Matcher m = PARAM.matcher(b.query);
    while (m.find()) {
      params.add(m.group(1));
      m.appendReplacement(out, "?");
    }
    m.appendTail(out);
    this.sql = out.toString();
    this.keysQuery = b.keysQuery;
    if (!params.contains("key")) {
      throw new IllegalArgumentException(
          "source " + name + ": the query must use the :key parameter");
    }
    this.queryTimeoutSeconds = (int) Math.max(1, (b.queryTimeout.toMillis() + 999) / 1000);
    this.keysTtl = b.keysCache;
    this.clock = b.clock;
    if (b.dataSource != null) {
      this.pool = b.dataSource;
      this.owned = null;
    } else {
      HikariConfig c = new HikariConfig();
      c.setPoolName("augur-source-" + name);
      c.setJdbcUrl(b.url);
      if (b.user != null) {
        c.setUsername(b.user);
        c.setPassword(b.password);
      }
      c.setMaximumPoolSize(b.poolSize);
      c.setMinimumIdle(0);
      c.setIdleTimeout(60_000);
      c.setConnectionTimeout(Math.max(250, b.connectTimeout.toMillis()));
      // the pool starts empty, so a database that is down does not stop the start; fetches then
      // fail within the connect timeout until it is back
      c.setInitializationFailTimeout(-1);
      this.owned = new HikariDataSource(c);
      this.pool = owned;
    }
  }

  /**
   * A builder for a source named {@code name} over a JDBC URL; the source keeps a small pool of
   * connections to it ({@link Builder#poolSize}).
   */
  public static Builder builder(String name, String jdbcUrl) {
    return new Builder(name, Objects.requireNonNull(jdbcUrl, "jdbcUrl"), null);
  }

  /**
   * A builder for a source named {@code name} over the application's pooled {@code
   * javax.sql.DataSource}, which stays the application's: closing the source does not close it.
   */
  public static Builder builder(String name, javax.sql.DataSource dataSource) {
    return new Builder(name, null, Objects.requireNonNull(dataSource, "dataSource"));
  }

  @Override
  public String name() {
    return name;
  }

  /** The keys the keys query lists (cached for a minute by default); empty without one. */
  @Override
  public List<String> keys() {
    if (keysQuery == null) {
      return List.of();
    }
    CachedKeys c = cachedKeys;
    Instant now = clock.instant();
    if (c != null && now.isBefore(c.expires)) {
      return c.keys;
    }
    try (Connection conn = pool.getConnection();
        PreparedStatement s = conn.prepareStatement(keysQuery)) {
      s.setQueryTimeout(queryTimeoutSeconds);
      s.setMaxRows(MAX_KEYS);
      List<String> keys = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
      Collections.sort(keys);
      List<String> out = List.copyOf(keys);
      if (!keysTtl.isZero()) {
        cachedKeys = new CachedKeys(out, now.plus(keysTtl));
      }
      return out;
    } catch (SQLException e) {
      throw failure("the keys query", e);
    }
  }

  @Override
  public List<Point> fetch(String key, int n) {
    Objects.requireNonNull(key, "key");
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, not " + n);
    }
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setQueryTimeout(queryTimeoutSeconds);
      s.setFetchSize(Math.min(n, 1000));
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i).equals("key")) {
          s.setString(i + 1, key);
        } else {
          s.setInt(i + 1, n);
        }
      }
      // only the last n rows are kept, however many the query returns
      ArrayDeque<Point> last = new ArrayDeque<>(Math.min(n, 1024));
      boolean any = false;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          any = true;
          Object t = rs.getObject(1);
          double y = rs.getDouble(2);
          if (rs.wasNull()) {
            continue;
          }
          if (last.size() == n) {
            last.removeFirst();
          }
          last.addLast(new Point(time(t), y));
        }
      }
      if (!any || last.isEmpty()) {
        throw new KeyNotFoundException("source " + name + " has no data for key '" + key + "'");
      }
      return List.copyOf(last);
    } catch (SQLException e) {
      throw failure("the query", e);
    }
  }

  private DataSourceException failure(String what, SQLException e) {
    String why;
    if (e instanceof SQLTimeoutException || "57014".equals(e.getSQLState())) {
      why = what + " took longer than " + queryTimeoutSeconds + " s";
    } else if (e instanceof SQLTransientConnectionException
        || (e.getSQLState() != null && e.getSQLState().startsWith("08"))) {
      why = "no database connection";
    } else {
      why =
          what
              + " failed"
              + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")");
    }
    // the driver's message may carry SQL text, host names or paths: logged, never answered
    log.warn("source {}: {}: {}", name, why, e.getMessage());
    return new DataSourceException("source " + name + ": " + why, e);
  }

  private Object time(Object t) {
    if (t instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (t instanceof Timestamp ts) {
      return ts.toLocalDateTime();
    }
    if (t instanceof java.time.temporal.Temporal || t instanceof Number) {
      return t instanceof java.time.LocalDate
              || t instanceof java.time.LocalDateTime
              || t instanceof java.time.OffsetDateTime
              || t instanceof java.time.Instant
              || t instanceof Number
          ? t
          : t.toString();
    }
    return TimeValues.parse(String.valueOf(t))
        .orElseThrow(
            () ->
                new DataSourceException(
                    "source "
                        + name
                        + ": time value '"
                        + t
                        + "' is not a date, date-time or number"));
  }

  /** Closes the pool the source created for its URL; an application's DataSource stays open. */
  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcDataSource[" + name + "]";
  }

  /** Builds a {@link JdbcDataSource}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String url;
    private final javax.sql.DataSource dataSource;
    private String user;
    private String password;
    private String query;
    private String keysQuery;
    private int poolSize = 4;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration queryTimeout = Duration.ofSeconds(10);
    private Duration keysCache = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();

    private Builder(String name, String url, javax.sql.DataSource dataSource) {
      this.name = Objects.requireNonNull(name, "name");
      this.url = url;
      this.dataSource = dataSource;
    }

    /** Credentials, when the URL does not carry them (for a URL only). */
    public Builder credentials(String user, String password) {
      this.user = user;
      this.password = password;
      return this;
    }

    /**
     * The series query: time first, value second, using {@code :key} (and optionally {@code :n}).
     */
    public Builder query(String sql) {
      this.query = Objects.requireNonNull(sql, "sql");
      return this;
    }

    /** The query listing the keys (one column). */
    public Builder keysQuery(String sql) {
      this.keysQuery = sql;
      return this;
    }

    /** The most connections the source's own pool opens (default 4; for a URL only). */
    public Builder poolSize(int connections) {
      if (connections < 1 || connections > 64) {
        throw new IllegalArgumentException("poolSize must be in 1..64, not " + connections);
      }
      this.poolSize = connections;
      return this;
    }

    /**
     * How long a fetch waits for a connection, logging in included (default 5 s, at least 250 ms;
     * for a URL only).
     */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /** How long a query may run (default 10 s; JDBC counts whole seconds, so it is rounded up). */
    public Builder queryTimeout(Duration d) {
      this.queryTimeout = positive(d, "queryTimeout");
      return this;
    }

    /** How long the keys are reused (default 1 minute; zero runs the keys query every time). */
    public Builder keysCache(Duration ttl) {
      this.keysCache = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** The clock for the keys cache (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source. */
    public JdbcDataSource build() {
      if (query == null) {
        throw new IllegalStateException("query(sql) is required");
      }
      return new JdbcDataSource(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}

package dev.augur.core.source;

import dev.augur.core.DataSource;
import dev.augur.core.DataSourceException;
import dev.augur.core.KeyNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Series from a parameterised SQL query over any JDBC URL (the driver must be on the classpath).
 * The query names {@code :key} (and optionally {@code :n}); they are bound as parameters, never
 * spliced into the SQL. Its first column is the time, its second the value. Thread-safe: each call
 * opens its own connection.
 *
 * <pre>{@code
 * DataSource sales = JdbcDataSource.builder("warehouse", "jdbc:postgresql://db/shop")
 *     .query("select day, units from sales where sku = :key order by day")
 *     .keysQuery("select distinct sku from sales").build();
 * }</pre>
 */
public final class JdbcDataSource implements DataSource {
  private static final Pattern PARAM = Pattern.compile(":(key|n)\\b");

  private final String name;
  private final String url;
  private final String user;
  private final String password;
  private final String sql;
  private final List<String> params = new ArrayList<>();
  private final String keysQuery;

  private JdbcDataSource(Builder b) {
    this.name = b.name;
    this.url = b.url;
    this.user = b.user;
    this.password = b.password;
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
  }

  /** A builder for a source named {@code name} over a JDBC URL. */
  public static Builder builder(String name, String jdbcUrl) {
    return new Builder(name, jdbcUrl);
  }

  @Override
  public String name() {
    return name;
  }

  private Connection connect() throws SQLException {
    return user == null
        ? DriverManager.getConnection(url)
        : DriverManager.getConnection(url, user, password);
  }

  @Override
  public List<String> keys() {
    if (keysQuery == null) {
      return List.of();
    }
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(keysQuery);
        ResultSet rs = s.executeQuery()) {
      List<String> keys = new ArrayList<>();
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
      Collections.sort(keys);
      return keys;
    } catch (SQLException e) {
      throw new DataSourceException("source " + name + ": keys query failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Point> fetch(String key, int n) {
    Objects.requireNonNull(key, "key");
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i).equals("key")) {
          s.setString(i + 1, key);
        } else {
          s.setInt(i + 1, n);
        }
      }
      List<Point> all = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Object t = rs.getObject(1);
          double y = rs.getDouble(2);
          if (rs.wasNull()) {
            continue;
          }
          all.add(new Point(time(t), y));
        }
      }
      if (all.isEmpty()) {
        throw new KeyNotFoundException("source " + name + " has no data for key '" + key + "'");
      }
      return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    } catch (SQLException e) {
      throw new DataSourceException("source " + name + ": query failed: " + e.getMessage(), e);
    }
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

  @Override
  public String toString() {
    return "JdbcDataSource[" + name + "]";
  }

  /** Builds a {@link JdbcDataSource}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String url;
    private String user;
    private String password;
    private String query;
    private String keysQuery;

    private Builder(String name, String url) {
      this.name = Objects.requireNonNull(name, "name");
      this.url = Objects.requireNonNull(url, "url");
    }

    /** Credentials, when the URL does not carry them. */
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

    /** The source. */
    public JdbcDataSource build() {
      if (query == null) {
        throw new IllegalStateException("query(sql) is required");
      }
      return new JdbcDataSource(this);
    }
  }
}

package dev.augur.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.augur.core.HistoryStore;
import dev.augur.core.HistoryStoreException;
import dev.augur.core.HistoryUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens durable prediction histories: an embedded SQLite file (the default) or PostgreSQL. The
 * schema is created on first open and migrated in place by Flyway; a second process opening the
 * same database is safe. The returned store is thread-safe and owns its connection pool and writer
 * thread: close it.
 *
 * <pre>{@code
 * try (HistoryStore history = HistoryStores.open("postgres://augur:secret@db:5432/augur")) { … }
 * HistoryStore local = HistoryStores.sqlite(Path.of("augur-data/history.db"));
 * HistoryStore fromEnv = HistoryStores.fromEnvironment(Path.of("augur-data")); // DATABASE_URL or SQLite
 * }</pre>
 */
public final class HistoryStores {
  private static final Logger log = LoggerFactory.getLogger(HistoryStores.class);

  private HistoryStores() {}

  /**
   * Opens the database at {@code url}: {@code jdbc:sqlite:FILE}, {@code jdbc:postgresql://…}, or
   * {@code postgres://user:pass@host:port/db} (Heroku, Railway, Cloud Run).
   */
  public static HistoryStore open(String url) {
    return builder(url).build();
  }

  /** Opens (creating if needed) an SQLite history file. */
  public static HistoryStore sqlite(Path file) {
    return builder(file).build();
  }

  /**
   * Opens {@code DATABASE_URL} when the environment sets it, else the SQLite file {@code
   * history.db} in {@code dataDir}.
   */
  public static HistoryStore fromEnvironment(Path dataDir) {
    String url = System.getenv("DATABASE_URL");
    return url == null || url.isBlank() ? sqlite(dataDir.resolve("history.db")) : open(url);
  }

  /** The URL with its password masked, for logs. */
  public static String redact(String url) {
    return DatabaseUrl.redact(url);
  }

  /** A builder for the database at {@code url}. */
  public static Builder builder(String url) {
    return new Builder(DatabaseUrl.parse(Objects.requireNonNull(url, "url")));
  }

  /** A builder for an SQLite file. */
  public static Builder builder(Path sqliteFile) {
    Path abs = sqliteFile.toAbsolutePath();
    try {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
    } catch (IOException e) {
      throw new HistoryStoreException(
          "cannot create the folder of " + abs + ": " + e.getMessage(), e);
    }
    return builder("jdbc:sqlite:" + abs);
  }

  /** Options of a history store. Not thread-safe. */
  public static final class Builder {
    private final DatabaseUrl url;
    int poolSize = 8;
    int maxGroup = 512;
    int maxQueue = 20_000;
    long connectionTimeoutMillis = 2_000;
    long writeTimeoutMillis = 10_000;
    long busyTimeoutMillis = 10_000;
    Clock clock = Clock.systemUTC();
    GroupCommitWriter.WriteListener writeListener = (n, nanos) -> {};
    java.time.Duration retention;
    int retentionBatchSize = 1000;
    java.time.Duration retentionFirstDelay = java.time.Duration.ofSeconds(10);

    private Builder(DatabaseUrl url) {
      this.url = url;
    }

    /**
     * Connections in the readers' pool (default 8); the writer has one more of its own. Exports,
     * quality scans and charts share at most {@code poolSize - 2} of them, so lookups, outcomes and
     * the readiness probe always find one.
     */
    public Builder poolSize(int poolSize) {
      if (poolSize < 2) {
        throw new IllegalArgumentException("poolSize must be at least 2");
      }
      this.poolSize = poolSize;
      return this;
    }

    /** The most records committed in one transaction (default 512). */
    public Builder maxGroup(int maxGroup) {
      if (maxGroup < 1) {
        throw new IllegalArgumentException("maxGroup must be at least 1");
      }
      this.maxGroup = maxGroup;
      return this;
    }

    /** The bound of the write queue (default 20,000); beyond it writes fail with overload. */
    public Builder maxQueue(int maxQueue) {
      if (maxQueue < 1) {
        throw new IllegalArgumentException("maxQueue must be at least 1");
      }
      this.maxQueue = maxQueue;
      return this;
    }

    /**
     * How long to wait for a connection before the database counts as unavailable (default 2 s).
     */
    public Builder connectionTimeout(java.time.Duration timeout) {
      this.connectionTimeoutMillis = Math.max(250, timeout.toMillis());
      return this;
    }

    /**
     * How long a write may wait in the queue for its commit before it is withdrawn and fails with
     * {@link dev.augur.core.HistoryUnavailableException} (default 10 s); a withdrawn write is never
     * committed later. A write the writer has already begun waits for that commit's outcome.
     */
    public Builder writeTimeout(java.time.Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("writeTimeout must be positive: " + timeout);
      }
      this.writeTimeoutMillis = Math.max(1, timeout.toMillis());
      return this;
    }

    /**
     * SQLite only: how long a connection waits for another process's lock on the database file
     * before the database counts as unavailable (default 10 s; {@code busy_timeout}).
     */
    public Builder busyTimeout(java.time.Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("busyTimeout must not be negative: " + timeout);
      }
      this.busyTimeoutMillis = timeout.toMillis();
      return this;
    }

    /** The clock of outcome times and quality windows (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Keeps records for {@code keep} (e.g. {@code Duration.ofDays(90)}): older ones are deleted in
     * the background, in batches of {@link #retentionBatchSize} rows, {@linkplain
     * #retentionFirstDelay 10 s} after opening and then every {@code keep / 2} (at least every
     * second, at most every 10 minutes). Default: kept forever.
     */
    public Builder retention(java.time.Duration keep) {
      Objects.requireNonNull(keep, "keep");
      if (keep.isNegative() || keep.isZero()) {
        throw new IllegalArgumentException("retention must be positive, not " + keep);
      }
      this.retention = keep;
      return this;
    }

    /**
     * How long after opening the first purge starts (default 10 s, so that start-up is not slowed;
     * never later than the period between purges).
     */
    public Builder retentionFirstDelay(java.time.Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("retentionFirstDelay must not be negative: " + delay);
      }
      this.retentionFirstDelay = delay;
      return this;
    }

    /**
     * The most rows one purge transaction deletes (default 1,000): smaller batches hold the table
     * for less time at once, larger ones purge faster.
     */
    public Builder retentionBatchSize(int rows) {
      if (rows < 1 || rows > 1_000_000) {
        throw new IllegalArgumentException("retentionBatchSize must be in 1..1000000");
      }
      this.retentionBatchSize = rows;
      return this;
    }

    /** Observes each committed group: its size and how long the commit took. */
    public Builder onCommit(java.util.function.BiConsumer<Integer, Long> listener) {
      Objects.requireNonNull(listener, "listener");
      this.writeListener = listener::accept;
      return this;
    }

    /**
     * Opens the store like {@link #build()} when the database answers; when it cannot be reached
     * (refused, timed out, or starting up), returns at once a store that keeps trying in the
     * background with exponential backoff (0.5 s doubling to 10 s) and becomes the real store when
     * the database answers. Until then its calls fail fast with {@link HistoryUnavailableException}
     * and {@link HistoryStore#isAvailable()} is false: a server on it is live but not ready.
     * Mistakes that waiting cannot fix (a bad URL, a wrong password, a failed migration) still
     * throw here.
     *
     * @throws HistoryStoreException when the database answers but cannot be used
     */
    public HistoryStore openInBackground() {
      try {
        return build();
      } catch (HistoryStoreException e) {
        if (!worthWaitingFor(e)) {
          throw e;
        }
        return new BackgroundHistoryStore(
            this::build,
            url.toString(),
            Availability.rootMessage(e),
            java.time.Duration.ofMillis(500),
            java.time.Duration.ofSeconds(10));
      }
    }

    /** A database that does not answer yet, as opposed to one that refuses us. */
    static boolean worthWaitingFor(Throwable e) {
      return Availability.isUnavailable(e);
    }

    /**
     * Opens the store: connects, migrates the schema, starts the writer.
     *
     * @throws HistoryUnavailableException when the database cannot be reached
     */
    public HistoryStore build() {
      Dialect dialect = Dialect.of(url.jdbcUrl());
      HikariDataSource pool;
      try {
        pool = new HikariDataSource(config(dialect, "augur-history", poolSize));
      } catch (RuntimeException e) {
        throw new HistoryUnavailableException(
            "cannot connect to the history database " + url + ": " + Availability.rootMessage(e),
            e);
      }
      try {
        Flyway.configure()
            .dataSource(pool)
            .locations(dialect.migrationLocation())
            .table("augur_schema_history")
            .baselineOnMigrate(false)
            .load()
            .migrate();
      } catch (RuntimeException e) {
        pool.close();
        throw new HistoryStoreException(
            "cannot migrate the history schema in " + url + ": " + Availability.rootMessage(e), e);
      }
      log.info(
          "history store open: {} ({})", url, dialect.name().toLowerCase(java.util.Locale.ROOT));
      // the writer's own connection, outside the pool: no export, scan or burst of reads can take
      // it, and it reconnects at once when the database is back (no pool backoff)
      HikariConfig w = config(dialect, "augur-history-writer", 1);
      java.util.Properties props = new java.util.Properties();
      props.putAll(w.getDataSourceProperties());
      if (dialect == Dialect.POSTGRESQL) {
        // a database that stops answering (not one that refuses) must not hold the writer, and
        // the callers whose records it has taken, for the 30 s the reads allow: each statement
        // and the login answer within the write timeout, then the writer reconnects or reports
        int seconds = (int) Math.max(1, (writeTimeoutMillis + 999) / 1000);
        props.setProperty("socketTimeout", String.valueOf(seconds));
        props.setProperty(
            "loginTimeout", String.valueOf(Math.max(1, connectionTimeoutMillis / 1000)));
      }
      url.user().ifPresent(u -> props.setProperty("user", u));
      url.password().ifPresent(p -> props.setProperty("password", p));
      WriterConnection writer = new WriterConnection(url.jdbcUrl(), props);
      try {
        // opened now, so the first write does not pay for it (the writer thread takes it over)
        writer.get();
      } catch (java.sql.SQLException | RuntimeException e) {
        writer.close();
        pool.close();
        throw new HistoryUnavailableException(
            "cannot connect to the history database " + url + ": " + Availability.rootMessage(e),
            e);
      }
      return new JdbiHistoryStore(pool, writer, this, url.toString());
    }

    private HikariConfig config(Dialect dialect, String name, int size) {
      HikariConfig cfg = new HikariConfig();
      cfg.setJdbcUrl(url.jdbcUrl());
      url.user().ifPresent(cfg::setUsername);
      url.password().ifPresent(cfg::setPassword);
      cfg.setPoolName(name);
      cfg.setMaximumPoolSize(size);
      cfg.setConnectionTimeout(connectionTimeoutMillis);
      cfg.setValidationTimeout(Math.min(1000, connectionTimeoutMillis));
      if (dialect == Dialect.SQLITE) {
        // WAL lets readers run beside the writer; synchronous=FULL makes every commit survive
        // power loss too, and group commit makes that affordable.
        Map.of(
                "journal_mode",
                "WAL",
                "synchronous",
                "FULL",
                "busy_timeout",
                String.valueOf(busyTimeoutMillis),
                "foreign_keys",
                "true")
            .forEach(cfg::addDataSourceProperty);
      } else {
        cfg.addDataSourceProperty(
            "connectTimeout", String.valueOf(Math.max(1, connectionTimeoutMillis / 1000)));
        cfg.addDataSourceProperty("socketTimeout", "30");
        cfg.addDataSourceProperty("ApplicationName", "augur");
      }
      return cfg;
    }
  }
}

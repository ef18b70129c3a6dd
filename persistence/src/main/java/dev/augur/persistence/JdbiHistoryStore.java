package dev.augur.persistence;

import com.zaxxer.hikari.HikariDataSource;
import dev.augur.core.ClosedException;
import dev.augur.core.HistoryStore;
import dev.augur.core.HistoryStoreException;
import dev.augur.core.InvalidInputException;
import dev.augur.core.Outcome;
import dev.augur.core.OverloadedException;
import dev.augur.core.PredictionRecord;
import dev.augur.core.RecordNotFoundException;
import dev.augur.core.Task;
import dev.augur.core.history.CalibrationBin;
import dev.augur.core.history.HistoryPage;
import dev.augur.core.history.HistoryQuery;
import dev.augur.core.history.HistoryWindow;
import dev.augur.core.history.MetricPoint;
import dev.augur.core.history.QualityQuery;
import dev.augur.core.history.QualityReport;
import dev.augur.core.history.QualitySpec;
import dev.augur.core.history.SampleQuery;
import dev.augur.core.history.SampledRow;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link HistoryStore} on JDBI over a pooled SQLite or PostgreSQL database. */
final class JdbiHistoryStore implements HistoryStore {
  private static final Logger log = LoggerFactory.getLogger(JdbiHistoryStore.class);
  private static final String SELECT = "SELECT * FROM augur_prediction ";

  /**
   * The most text (observations and predictions, in characters) one page of {@link #latest} reads:
   * 8 Mi, about 30,000 ordinary records; a page that reaches it is shorter than asked, with a
   * cursor to the rest.
   */
  static final long PAGE_CHARS = 8L << 20;

  // one row in :k by a hash of its key, read from the index entry alone: SQLite's rowid (mixed by
  // a multiplicative hash, so that rows of models written in turn do not fall in step with :k),
  // PostgreSQL's hash of the id
  private static final String SQLITE_PICK = " AND ((rowid * 2654435761) % 4294967296) % :k = 0";
  private static final String POSTGRES_PICK = " AND (hashtext(id) & 2147483647) % :k = 0";

  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final Semaphore longReads;
  private final long longReadWaitMillis;
  private final GroupCommitWriter writer;
  private final Retention retention;
  private final WriteTurns turns;
  private final Availability availability;
  private final Clock clock;
  private final String description;
  private final boolean sqlite;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long lastProbe;

  JdbiHistoryStore(
      HikariDataSource pool,
      WriterConnection writerConnection,
      HistoryStores.Builder options,
      String description) {
    this.pool = pool;
    this.jdbi = Jdbi.create(pool);
    // exports, scans and charts hold a connection for as long as they run (an export as long as
    // its client reads): they get a bounded share, so short reads and the probe always find one
    this.longReads = new Semaphore(Math.max(1, options.poolSize - 2), true);
    this.longReadWaitMillis = options.connectionTimeoutMillis;
    this.availability = new Availability(Availability.FAIL_FAST_MILLIS);
    this.clock = options.clock;
    this.description = description;
    this.sqlite = pool.getJdbcUrl().startsWith("jdbc:sqlite:");
    this.turns = sqlite ? WriteTurns.sqlite(options.busyTimeoutMillis) : WriteTurns.none();
    this.writer =
        new GroupCommitWriter(
            writerConnection,
            options.maxGroup,
            options.maxQueue,
            options.writeTimeoutMillis,
            availability,
            turns,
            options.writeListener);
    this.retention = new Retention(jdbi, turns, options.retentionBatchSize, clock);
    if (options.retention != null) {
      Duration every = options.retention.dividedBy(2);
      every = every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : every;
      every = every.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : every;
      Duration first =
          options.retentionFirstDelay.compareTo(every) < 0 ? options.retentionFirstDelay : every;
      retention.schedule(options.retention, first, every);
    }
  }

  @Override
  public PredictionRecord record(PredictionRecord record) {
    Objects.requireNonNull(record, "record");
    return writer.write(List.of(record)).get(0);
  }

  @Override
  public List<PredictionRecord> recordAll(List<PredictionRecord> records) {
    Objects.requireNonNull(records, "records");
    return records.isEmpty() ? List.of() : writer.write(records);
  }

  @Override
  public PredictionRecord recordOutcome(String model, String id, Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    Instant now = Instant.now(clock);
    int updated =
        use(
            h -> {
              turns.enter();
              try {
                return h.createUpdate(
                        "UPDATE augur_prediction SET outcome = :o, outcome_label = :ol,"
                            + " outcome_value = :ov, outcome_at = :at WHERE model = :m AND id ="
                            + " :id")
                    .bind("o", RecordCodec.json(outcome.toJson()))
                    .bind("ol", RecordCodec.outcomeLabel(outcome))
                    .bind("ov", RecordCodec.outcomeValue(outcome))
                    .bind("at", RecordCodec.micros(now))
                    .bind("m", model)
                    .bind("id", id)
                    .execute();
              } finally {
                turns.leave();
              }
            });
    if (updated == 0) {
      throw new RecordNotFoundException(
          "model " + model + " has no prediction with id '" + id + "'");
    }
    return find(model, id).orElseThrow();
  }

  @Override
  public Optional<PredictionRecord> find(String model, String id) {
    return use(
        h ->
            h.createQuery(SELECT + "WHERE model = :m AND id = :id AND shadow = FALSE")
                .bind("m", model)
                .bind("id", id)
                .map((rs, ctx) -> RecordCodec.read(rs))
                .findOne());
  }

  @Override
  public HistoryPage latest(String model, HistoryQuery query) {
    int n = query.n();
    boolean shadow = query.shadow();
    if (n < 1 || n > 10_000) {
      throw new InvalidInputException("n", "must be an integer within 1..10000");
    }
    Optional<Cursor> c = query.before().map(Cursor::decode);
    // newest first, at most n + 1 rows, and of those only the rows that start within the page's
    // budget of text: 10,000 observations with 64 KiB of extra fields each would be 640 MB
    List<Sized> rows =
        use(
            h -> {
              Query q =
                  h.createQuery(
                      "SELECT * FROM (SELECT p.*, SUM(LENGTH(p.observation) + LENGTH(p.prediction))"
                          + " OVER (ORDER BY p.created_at DESC, p.id DESC ROWS UNBOUNDED PRECEDING)"
                          + " AS page_chars FROM ("
                          + SELECT
                          + "WHERE model = :m AND shadow = :sh"
                          + (c.isPresent()
                              ? " AND (created_at < :t OR (created_at = :t AND id < :id))"
                              : "")
                          + " ORDER BY created_at DESC, id DESC LIMIT :lim) p) w"
                          + " WHERE w.page_chars - LENGTH(w.observation) - LENGTH(w.prediction)"
                          + " < :budget ORDER BY w.created_at DESC, w.id DESC");
              q.bind("m", model).bind("sh", shadow).bind("lim", n + 1).bind("budget", PAGE_CHARS);
              c.ifPresent(x -> q.bind("t", x.micros).bind("id", x.id));
              return q.map((rs, ctx) -> new Sized(RecordCodec.read(rs), rs.getLong("page_chars")))
                  .list();
            });
    int keep = Math.min(rows.size(), n);
    boolean more = rows.size() > n;
    if (keep > 0 && rows.get(keep - 1).pageChars() > PAGE_CHARS) {
      // the budget ended the page: the rows after this one were not read
      more = true;
      if (keep > 1) {
        keep--;
      }
    }
    List<PredictionRecord> page = new ArrayList<>(keep);
    for (int i = 0; i < keep; i++) {
      page.add(rows.get(i).record());
    }
    Optional<String> next = Optional.empty();
    if (more) {
      PredictionRecord last = page.get(keep - 1);
      next = Optional.of(new Cursor(RecordCodec.micros(last.createdAt()), last.id()).encode());
    }
    return new HistoryPage(page, next);
  }

  /** A record and the characters of observation and prediction text up to it in its page. */
  private record Sized(PredictionRecord record, long pageChars) {}

  @Override
  public List<PredictionRecord> range(String model, Instant from, Instant to, int limit) {
    return longRead(
        () ->
            use(
                h ->
                    h.createQuery(
                            SELECT
                                + "WHERE model = :m AND shadow = FALSE AND created_at >= :f AND"
                                + " created_at < :t ORDER BY created_at, id LIMIT :lim")
                        .bind("m", model)
                        .bind("f", RecordCodec.micros(from))
                        .bind("t", RecordCodec.micros(to))
                        .bind("lim", Math.max(0, limit))
                        .map((rs, ctx) -> RecordCodec.read(rs))
                        .list()));
  }

  @Override
  public long count(String model) {
    return use(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM augur_prediction WHERE model = :m AND shadow = FALSE")
                .bind("m", model)
                .mapTo(Long.class)
                .one());
  }

  @Override
  public void exportCsv(String model, List<String> observationFields, Writer out) {
    CsvExport csv = new CsvExport(observationFields, out);
    longRead(
        () ->
            use(
                h -> {
                  csv.header();
                  // in a read transaction: PostgreSQL streams with a cursor (fetch size) only
                  // inside one; in autocommit its driver would load the whole history at once
                  h.begin();
                  try (var it =
                      h.createQuery(
                              SELECT
                                  + "WHERE model = :m AND shadow = FALSE ORDER BY created_at, id")
                          .bind("m", model)
                          .setFetchSize(1000)
                          .map((rs, ctx) -> RecordCodec.read(rs))
                          .iterator()) {
                    while (it.hasNext()) {
                      csv.row(it.next());
                    }
                  } finally {
                    h.rollback();
                  }
                  return null;
                }));
    csv.flush();
  }

  @Override
  public long purgeOlderThan(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    if (closed.get()) {
      throw new ClosedException("the history store is closed");
    }
    availability.checkFailFast();
    try {
      // in bounded batches, so that a large purge never holds the table for long
      long n = retention.purge(cutoff);
      availability.succeeded();
      return n;
    } catch (RuntimeException e) {
      throw availability.classify(e, "purge failed");
    }
  }

  private long since(Optional<Duration> window) {
    return window.map(w -> RecordCodec.micros(Instant.now(clock).minus(w))).orElse(Long.MIN_VALUE);
  }

  private long since(HistoryWindow window) {
    return since(window.last());
  }

  @Override
  public QualityReport quality(String model, QualitySpec spec, QualityQuery query) {
    Optional<String> version = query.version();
    long since = since(query.window());
    // one pass over the model's rows counts both kinds and feeds the labelled ones to the metrics
    QualityAccumulator acc = new QualityAccumulator(spec);
    long[] counts = {0, 0};
    if (spec.task() == Task.BINARY_CLASSIFICATION && spec.labels().size() == 2) {
      scanBinary(model, version, spec, since, acc, counts);
      return new QualityReport(model, counts[1], counts[0] - counts[1], acc.metrics());
    }
    scan(
        model,
        version,
        spec,
        since,
        true,
        rs -> {
          counts[0]++;
          rs.getLong(OUTCOME_AT);
          if (!rs.wasNull()) {
            counts[1]++;
            add(spec, rs, acc);
          }
        });
    return new QualityReport(model, counts[1], counts[0] - counts[1], acc.metrics());
  }

  @Override
  public List<MetricPoint> qualityOverTime(
      String model, QualitySpec spec, String metric, Duration bucket, QualityQuery query) {
    Optional<String> version = query.version();
    Optional<Duration> window = query.window();
    long size = bucketMicros(bucket);
    TreeMap<Long, QualityAccumulator> buckets = new TreeMap<>();
    scan(
        model,
        version,
        spec,
        since(window),
        false,
        rs -> {
          long start = Math.floorDiv(rs.getLong(CREATED_AT), size) * size;
          add(spec, rs, buckets.computeIfAbsent(start, k -> new QualityAccumulator(spec)));
        });
    List<MetricPoint> out = new ArrayList<>();
    buckets.forEach(
        (start, acc) ->
            out.add(
                new MetricPoint(
                    RecordCodec.instant(start),
                    acc.count(),
                    Optional.ofNullable(acc.scalar(metric)))));
    return out;
  }

  @Override
  public List<MetricPoint> volume(String model, Duration bucket, HistoryWindow window) {
    long size = bucketMicros(bucket);
    return longRead(
        () ->
            use(
                h ->
                    h.createQuery(
                            "SELECT (created_at - ((created_at % :b) + :b) % :b) AS bucket,"
                                + " COUNT(*) AS n FROM augur_prediction WHERE model = :m AND shadow"
                                + " = FALSE AND created_at >= :s GROUP BY 1 ORDER BY 1")
                        .bind("b", size)
                        .bind("m", model)
                        .bind("s", since(window))
                        .map(
                            (rs, ctx) ->
                                new MetricPoint(
                                    RecordCodec.instant(rs.getLong("bucket")),
                                    rs.getLong("n"),
                                    Optional.of((double) rs.getLong("n"))))
                        .list()));
  }

  @Override
  public List<Double> scores(String model, QualitySpec spec, HistoryWindow window, int limit) {
    return longRead(
        () ->
            use(
                h ->
                    h.createQuery(
                            "SELECT pred_score FROM augur_prediction WHERE model = :m AND shadow ="
                                + " FALSE AND created_at >= :s AND pred_score IS NOT NULL ORDER BY"
                                + " created_at DESC LIMIT :lim")
                        .bind("m", model)
                        .bind("s", since(window))
                        .bind("lim", Math.max(0, limit))
                        .mapTo(Double.class)
                        .list()));
  }

  @Override
  public long sample(String model, SampleQuery query, Consumer<SampledRow> rows) {
    Objects.requireNonNull(rows, "rows");
    Optional<String> version = query.version();
    Instant from = query.from();
    Instant to = query.to();
    int limit = query.limit();
    String where =
        " WHERE model = :m AND created_at >= :f AND created_at < :t" + byVersion(version);
    long count =
        use(
            h -> {
              Query q = h.createQuery("SELECT COUNT(*) FROM augur_prediction" + where);
              bindWindow(q, model, version, from, to);
              return q.mapTo(Long.class).one();
            });
    if (count == 0) {
      return 0;
    }
    RowConsumer sink =
        rs -> {
          double score = rs.getDouble(3);
          Optional<Double> s = rs.wasNull() ? Optional.empty() : Optional.of(score);
          rows.accept(
              new SampledRow(
                  RecordCodec.parse(rs.getString(1)), Optional.ofNullable(rs.getString(2)), s));
        };
    if (count <= limit) {
      stream(
          h ->
              bindWindow(
                  h.createQuery(
                      "SELECT observation, pred_label, pred_score FROM augur_prediction" + where),
                  model,
                  version,
                  from,
                  to),
          sink);
      return count;
    }
    // about `limit` rows (never more), chosen in one pass over the window's index entries by a
    // hash of each row's key, so that only the chosen rows are read in full: no numbering of the
    // window's rows (a window function over a million rows cost SQLite a second) and no join back
    long every = (count + limit - 1) / limit;
    stream(
        h ->
            bindWindow(
                    h.createQuery(
                        "SELECT observation, pred_label, pred_score FROM augur_prediction"
                            + where
                            + (sqlite ? SQLITE_PICK : POSTGRES_PICK)
                            + " LIMIT :lim"),
                    model,
                    version,
                    from,
                    to)
                .bind("k", every)
                .bind("lim", (long) limit),
        sink);
    return count;
  }

  /**
   * One version's rows, its shadow predictions included (so that a challenger running as a shadow
   * is measured on the same requests as the champion); without a version, the answered rows only.
   */
  private static String byVersion(Optional<String> version) {
    return version.isPresent() ? " AND version = :v" : " AND shadow = FALSE";
  }

  private static Query bindWindow(
      Query q, String model, Optional<String> version, Instant from, Instant to) {
    q.bind("m", model).bind("f", RecordCodec.micros(from)).bind("t", RecordCodec.micros(to));
    version.ifPresent(v -> q.bind("v", v));
    return q;
  }

  @Override
  public List<CalibrationBin> calibration(
      String model, QualitySpec spec, int bins, HistoryWindow window) {
    if (spec.task() != Task.BINARY_CLASSIFICATION) {
      throw new InvalidInputException("kind", "calibration applies to binary classification only");
    }
    if (bins < 1 || bins > 1000) {
      throw new InvalidInputException("bins", "must be within 1..1000");
    }
    double[] sumP = new double[bins];
    long[] pos = new long[bins];
    long[] cnt = new long[bins];
    String positive = spec.positive().orElseThrow();
    scanLabelled(
        model,
        spec,
        since(window),
        rs -> {
          double p = rs.getDouble(PRED_SCORE);
          int b = Math.min(bins - 1, Math.max(0, (int) (p * bins)));
          sumP[b] += p;
          cnt[b]++;
          if (positive.equals(rs.getString(OUTCOME_LABEL))) {
            pos[b]++;
          }
        });
    List<CalibrationBin> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      if (cnt[b] > 0) {
        out.add(
            new CalibrationBin(
                (double) b / bins,
                (double) (b + 1) / bins,
                sumP[b] / cnt[b],
                (double) pos[b] / cnt[b],
                cnt[b]));
      }
    }
    return out;
  }

  /** Feeds one labelled row to an accumulator by task. */
  private static void add(QualitySpec spec, ResultSet rs, QualityAccumulator acc)
      throws SQLException {
    switch (spec.task()) {
      case BINARY_CLASSIFICATION ->
          acc.addBinary(
              rs.getString(PRED_LABEL), rs.getDouble(PRED_SCORE), rs.getString(OUTCOME_LABEL));
      case MULTICLASS_CLASSIFICATION -> {
        String truth = rs.getString(OUTCOME_LABEL);
        Object probs = RecordCodec.parse(rs.getString(PREDICTION)).get("probabilities");
        double p =
            probs instanceof Map<?, ?> m && m.get(truth) instanceof Number x
                ? x.doubleValue()
                : Double.NaN;
        acc.addMulticlass(rs.getString(PRED_LABEL), p, truth);
      }
      case REGRESSION -> acc.addRegression(rs.getDouble(PRED_SCORE), rs.getDouble(OUTCOME_VALUE));
      case FORECAST -> {
        // a stored forecast's values and outcome are JSON arrays, written by RecordCodec
        @SuppressWarnings("unchecked")
        List<Object> values =
            (List<Object>) RecordCodec.parse(rs.getString(PREDICTION)).get("values");
        // as above: the outcome of a forecast is stored as a JSON array
        @SuppressWarnings("unchecked")
        List<Object> truth = (List<Object>) RecordCodec.parseAny(rs.getString(OUTCOME));
        acc.addForecast(RecordCodec.doubles(values), RecordCodec.doubles(truth));
      }
      default -> throw new IllegalStateException();
    }
  }

  @FunctionalInterface
  private interface RowConsumer {
    void accept(ResultSet rs) throws SQLException;
  }

  // the columns of a labelled scan, by position: reading by name costs a lookup per row
  private static final int OUTCOME_AT = 1;

  private static final int CREATED_AT = 2;
  private static final int PRED_LABEL = 3;
  private static final int PRED_SCORE = 4;
  private static final int OUTCOME_LABEL = 5;
  private static final int OUTCOME_VALUE = 6;
  private static final int PREDICTION = 7;
  private static final int OUTCOME = 8;

  /**
   * Binary quality reads three numbers a row: the database maps both labels to their index, so no
   * label string crosses JDBC (a million rows in about a second on either database).
   */
  private void scanBinary(
      String model,
      Optional<String> version,
      QualitySpec spec,
      long since,
      QualityAccumulator acc,
      long[] counts) {
    stream(
        h ->
            h.createQuery(
                    "SELECT CASE WHEN outcome_at IS NULL THEN -2 WHEN outcome_label = :l0 THEN 0"
                        + " WHEN outcome_label = :l1 THEN 1 ELSE -1 END, CASE WHEN pred_label = :l0"
                        + " THEN 0 WHEN pred_label = :l1 THEN 1 ELSE -1 END, pred_score FROM"
                        + " augur_prediction WHERE model = :m AND created_at >= :s"
                        + byVersion(version))
                .bind("l0", spec.labels().get(0))
                .bind("l1", spec.labels().get(1))
                .bind("m", model)
                .bind("s", since)
                .bind("v", version.orElse("")),
        rs -> {
          counts[0]++;
          int t = rs.getInt(1);
          if (t != -2) {
            counts[1]++;
            acc.addBinary(t, rs.getInt(2), rs.getDouble(3));
          }
        });
  }

  /**
   * Streams the labelled rows of a model (in no particular order) to the consumer: narrow columns,
   * JSON only where the task needs it.
   */
  private void scanLabelled(String model, QualitySpec spec, long since, RowConsumer consumer) {
    scan(model, Optional.empty(), spec, since, false, consumer);
  }

  /**
   * Streams a model's rows since a time, all of them or only the labelled, in no particular order.
   */
  private void scan(
      String model,
      Optional<String> version,
      QualitySpec spec,
      long since,
      boolean all,
      RowConsumer consumer) {
    boolean json = spec.task() == Task.MULTICLASS_CLASSIFICATION || spec.task() == Task.FORECAST;
    String cols =
        "outcome_at, created_at, pred_label, pred_score, outcome_label, outcome_value"
            + (json ? ", prediction, outcome" : "");
    stream(
        h ->
            h.createQuery(
                    "SELECT "
                        + cols
                        + " FROM augur_prediction WHERE model = :m"
                        + (all ? "" : " AND outcome_at IS NOT NULL")
                        + byVersion(version)
                        + " AND created_at >= :s")
                .bind("m", model)
                .bind("s", since)
                .bind("v", version.orElse("")),
        consumer);
  }

  /**
   * Runs a query in a read transaction (PostgreSQL streams with a cursor only inside one) and hands
   * every row to the consumer, never holding the result in memory.
   */
  private void stream(Function<Handle, Query> query, RowConsumer consumer) {
    longRead(() -> streamNow(query, consumer));
  }

  private Void streamNow(Function<Handle, Query> query, RowConsumer consumer) {
    return use(
        h -> {
          h.begin();
          try {
            query
                .apply(h)
                .setFetchSize(10_000)
                .scanResultSet(
                    (supplier, ctx) -> {
                      ResultSet rs = supplier.get();
                      while (rs.next()) {
                        consumer.accept(rs);
                      }
                      return null;
                    });
          } finally {
            h.rollback();
          }
          return null;
        });
  }

  private static long bucketMicros(Duration bucket) {
    long b = bucket.toNanos() / 1000;
    if (b < 1_000_000) {
      throw new InvalidInputException("bucket", "must be at least one second");
    }
    return b;
  }

  /**
   * Runs an export, scan or chart query within the long reads' share of connections; beyond it the
   * caller waits up to the connection timeout, then gets {@link OverloadedException} (503).
   */
  private <T> T longRead(java.util.function.Supplier<T> read) {
    boolean admitted;
    try {
      admitted = longReads.tryAcquire(longReadWaitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HistoryStoreException("interrupted while waiting for a history connection", e);
    }
    if (!admitted) {
      throw new OverloadedException(
          "too many history exports, quality scans and charts at once; try again shortly");
    }
    try {
      return read.get();
    } finally {
      longReads.release();
    }
  }

  private <T> T use(Function<Handle, T> f) {
    if (closed.get()) {
      throw new ClosedException("the history store is closed");
    }
    availability.checkFailFast();
    try (Handle h = jdbi.open()) {
      T t = f.apply(h);
      availability.succeeded();
      return t;
    } catch (InvalidInputException | RecordNotFoundException e) {
      throw e;
    } catch (RuntimeException e) {
      throw availability.classify(e, "history query failed");
    }
  }

  @Override
  public boolean isAvailable() {
    if (closed.get()) {
      return false;
    }
    if (availability.failingFast()) {
      // a statement has just found the database away: not ready, without waiting for a probe
      return false;
    }
    long now = System.currentTimeMillis();
    if (availability.isUp() && now - lastProbe < 1000) {
      return true;
    }
    lastProbe = now;
    try (Handle h = jdbi.open()) {
      h.createQuery("SELECT 1").mapTo(Integer.class).one();
      if (availability.wentDownSince(now)) {
        // the database went away while this probe waited for a connection (a fast restart can
        // fit in that wait): report the outage; the next probe says whether it is over
        return false;
      }
      availability.succeeded();
      return true;
    } catch (RuntimeException e) {
      availability.classify(e, "probe");
      return false;
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    retention.close();
    writer.close();
    pool.close();
    log.info("history store {} closed", description);
  }

  /** The writer of this store (tests watch its queue). */
  GroupCommitWriter writerForTests() {
    return writer;
  }

  /** The purge of this store (tests watch its batches). */
  Retention retentionForTests() {
    return retention;
  }

  @Override
  public String toString() {
    return "HistoryStore[" + description + "]";
  }

  /** A position in the newest-first order: created_at then id, as an opaque URL-safe string. */
  record Cursor(long micros, String id) {
    String encode() {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String s) {
      try {
        String text = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        return new Cursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw new InvalidInputException("before", "is not a cursor this server gave out");
      }
    }
  }
}

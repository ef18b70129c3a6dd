package dev.augur.core;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable record of every prediction and, later, its true outcome; the source of live model
 * quality. Implementations are thread-safe and own their database connections: {@link #close()}
 * flushes pending writes and closes them (idempotent).
 *
 * <p>Durability: {@link #record} returns only once the record is committed; nothing it acknowledged
 * is lost on a crash.
 */
public interface HistoryStore extends AutoCloseable {

  /**
   * Records a prediction durably. If a record with the same model and id exists and has the same
   * observation, this is an idempotent replay and the stored record is returned.
   *
   * @return the record as stored
   * @throws PredictionConflictException when the id exists with a different observation
   * @throws HistoryUnavailableException when the database cannot be reached (fails fast)
   */
  PredictionRecord record(PredictionRecord record);

  /** Records several predictions durably, each as {@link #record}; results in input order. */
  List<PredictionRecord> recordAll(List<PredictionRecord> records);

  /**
   * Sets (or replaces) the true outcome of a prediction, and of its shadow prediction if it has
   * one.
   *
   * @return the updated record
   * @throws RecordNotFoundException when no record has that id
   */
  PredictionRecord recordOutcome(String model, String id, Outcome outcome);

  /** The answered record with that id, if any (never a shadow prediction). */
  Optional<PredictionRecord> find(String model, String id);

  /**
   * The newest {@code n} answered records of a model (shadow predictions left out), or with {@link
   * HistoryQuery#shadows()} its shadow version's records, newest first, older than the query's
   * cursor when it has one.
   *
   * @throws InvalidInputException naming {@code n} when it is not within 1..10000, or {@code
   *     before} when the cursor is malformed
   */
  HistoryPage latest(String model, HistoryQuery query);

  /**
   * The newest {@code n} answered records of a model, newest first.
   *
   * @deprecated use {@link #latest(String, HistoryQuery)}
   */
  @Deprecated
  default HistoryPage latest(String model, int n, Optional<String> before) {
    return latest(model, new HistoryQuery(n, before, false));
  }

  /**
   * The newest {@code n} answered records of a model, or with {@code shadow} its shadow version's.
   *
   * @deprecated use {@link #latest(String, HistoryQuery)}
   */
  @Deprecated
  default HistoryPage latest(String model, int n, Optional<String> before, boolean shadow) {
    return latest(model, new HistoryQuery(n, before, shadow));
  }

  /** Records created in {@code [from, to)}, oldest first, at most {@code limit}. */
  List<PredictionRecord> range(String model, Instant from, Instant to, int limit);

  /** How many answered records a model has (shadow predictions left out). */
  long count(String model);

  /**
   * Writes every record of a model as CSV (header row; id, created_at, version, the given
   * observation fields, the prediction fields, outcome, outcome_at, latency_ms), oldest first,
   * streaming: never the whole table in memory.
   */
  void exportCsv(String model, List<String> observationFields, Writer out);

  /** Deletes records created before {@code cutoff}; returns how many. */
  long purgeOlderThan(Instant cutoff);

  /**
   * Quality over the labelled records the query selects: every version's answered records, or one
   * version's with its shadow predictions included; all of them, or those of the last window.
   */
  QualityReport quality(String model, QualitySpec spec, QualityQuery query);

  /**
   * Quality over labelled answered records, in the last {@code window} when given.
   *
   * @deprecated use {@link #quality(String, QualitySpec, QualityQuery)}
   */
  @Deprecated
  default QualityReport quality(String model, QualitySpec spec, Optional<Duration> window) {
    return quality(model, spec, new QualityQuery(window, Optional.empty()));
  }

  /**
   * Quality over one version's labelled records, in the last {@code window} when given.
   *
   * @deprecated use {@link #quality(String, QualitySpec, QualityQuery)}
   */
  @Deprecated
  default QualityReport quality(
      String model, Optional<String> version, QualitySpec spec, Optional<Duration> window) {
    return quality(model, spec, new QualityQuery(window, version));
  }

  /**
   * A metric per time bucket of the records the query selects (one version's, its shadow
   * predictions included, for charts of champion and challenger; else the answered records of every
   * version).
   */
  List<MetricPoint> qualityOverTime(
      String model, QualitySpec spec, String metric, Duration bucket, QualityQuery query);

  /**
   * A metric per time bucket of the answered records, in the last {@code window} when given.
   *
   * @deprecated use {@link #qualityOverTime(String, QualitySpec, String, Duration, QualityQuery)}
   */
  @Deprecated
  default List<MetricPoint> qualityOverTime(
      String model, QualitySpec spec, String metric, Duration bucket, Optional<Duration> window) {
    return qualityOverTime(model, spec, metric, bucket, new QualityQuery(window, Optional.empty()));
  }

  /**
   * A metric per time bucket of one version's records, in the last {@code window} when given.
   *
   * @deprecated use {@link #qualityOverTime(String, QualitySpec, String, Duration, QualityQuery)}
   */
  @Deprecated
  default List<MetricPoint> qualityOverTime(
      String model,
      Optional<String> version,
      QualitySpec spec,
      String metric,
      Duration bucket,
      Optional<Duration> window) {
    return qualityOverTime(model, spec, metric, bucket, new QualityQuery(window, version));
  }

  /** How many answered predictions per time bucket (the value of each point is its count). */
  List<MetricPoint> volume(String model, Duration bucket, HistoryWindow window);

  /**
   * How many predictions per time bucket, in the last {@code window} when given.
   *
   * @deprecated use {@link #volume(String, Duration, HistoryWindow)}
   */
  @Deprecated
  default List<MetricPoint> volume(String model, Duration bucket, Optional<Duration> window) {
    return volume(model, bucket, new HistoryWindow(window));
  }

  /**
   * The score of the newest answered records in the window, at most {@code limit}: the positive
   * probability (binary), the top probability (multiclass), the value (regression) or the first
   * step (forecast).
   */
  List<Double> scores(String model, QualitySpec spec, HistoryWindow window, int limit);

  /**
   * The score of the newest records, in the last {@code window} when given.
   *
   * @deprecated use {@link #scores(String, QualitySpec, HistoryWindow, int)}
   */
  @Deprecated
  default List<Double> scores(
      String model, QualitySpec spec, Optional<Duration> window, int limit) {
    return scores(model, spec, new HistoryWindow(window), limit);
  }

  /**
   * Streams a sample of the records created in {@code [from, to)} to {@code rows}, in no particular
   * order: all of them when the window holds at most {@code limit}, else about {@code limit} and
   * never more, one in every {@code ceil(n / limit)} chosen by a hash of the record's key (the same
   * records for the same window every time, spread over it as the records are). Shadow predictions
   * are left out unless a version is asked for (then that version's are included). Memory stays
   * bounded by the caller's consumer, never by the window's size.
   *
   * @param query the window, the limit and the version
   * @return how many records the whole window holds
   */
  long sample(String model, SampleQuery query, Consumer<SampledRow> rows);

  /**
   * As {@link #sample(String, SampleQuery, Consumer)}.
   *
   * @deprecated use {@link #sample(String, SampleQuery, Consumer)}
   */
  @Deprecated
  default long sample(
      String model,
      Optional<String> version,
      Instant from,
      Instant to,
      int limit,
      Consumer<SampledRow> rows) {
    return sample(model, new SampleQuery(from, to, limit, version), rows);
  }

  /**
   * A reliability diagram of a binary classifier in {@code bins} equal-width bins, over the
   * labelled answered records of the window.
   */
  List<CalibrationBin> calibration(String model, QualitySpec spec, int bins, HistoryWindow window);

  /**
   * A reliability diagram, in the last {@code window} when given.
   *
   * @deprecated use {@link #calibration(String, QualitySpec, int, HistoryWindow)}
   */
  @Deprecated
  default List<CalibrationBin> calibration(
      String model, QualitySpec spec, int bins, Optional<Duration> window) {
    return calibration(model, spec, bins, new HistoryWindow(window));
  }

  /** Whether the database answers now; cheap enough for a readiness probe. */
  boolean isAvailable();

  /** Flushes pending writes and closes connections. Idempotent. */
  @Override
  void close();
}

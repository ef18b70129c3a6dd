package dev.augur.core;

import dev.augur.core.history.CalibrationBin;
import dev.augur.core.history.HistoryPage;
import dev.augur.core.history.MetricPoint;
import dev.augur.core.history.QualityReport;
import dev.augur.core.history.QualitySpec;
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
   * The newest {@code n} answered records of a model (shadow predictions left out), newest first.
   *
   * @param before a cursor from a previous page's {@link HistoryPage#next()}, or empty for the
   *     newest
   * @throws InvalidInputException naming {@code before} when the cursor is malformed
   */
  default HistoryPage latest(String model, int n, Optional<String> before) {
    return latest(model, n, before, false);
  }

  /**
   * The newest {@code n} answered records of a model, or with {@code shadow} its shadow version's
   * records, newest first.
   *
   * @param before a cursor from a previous page's {@link HistoryPage#next()}, or empty for the
   *     newest
   * @throws InvalidInputException naming {@code before} when the cursor is malformed
   */
  HistoryPage latest(String model, int n, Optional<String> before, boolean shadow);

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
   * Quality over labelled answered records, in the last {@code window} when given, else all of
   * them.
   */
  default QualityReport quality(String model, QualitySpec spec, Optional<Duration> window) {
    return quality(model, Optional.empty(), spec, window);
  }

  /**
   * Quality over one version's labelled records, its shadow predictions included (every version's
   * answered records when empty), in the last {@code window} when given, else all of them.
   */
  QualityReport quality(
      String model, Optional<String> version, QualitySpec spec, Optional<Duration> window);

  /** A metric per time bucket of the answered records, for charts of quality over time. */
  default List<MetricPoint> qualityOverTime(
      String model, QualitySpec spec, String metric, Duration bucket, Optional<Duration> window) {
    return qualityOverTime(model, Optional.empty(), spec, metric, bucket, window);
  }

  /**
   * A metric per time bucket of one version's records, its shadow predictions included (the
   * answered records of every version when empty), for charts of champion and challenger.
   */
  List<MetricPoint> qualityOverTime(
      String model,
      Optional<String> version,
      QualitySpec spec,
      String metric,
      Duration bucket,
      Optional<Duration> window);

  /** How many predictions per time bucket (the value of each point is its count). */
  List<MetricPoint> volume(String model, Duration bucket, Optional<Duration> window);

  /**
   * The score of the newest records, at most {@code limit}: the positive probability (binary), the
   * top probability (multiclass), the value (regression) or the first step (forecast).
   */
  List<Double> scores(String model, QualitySpec spec, Optional<Duration> window, int limit);

  /**
   * Streams a sample of the records created in {@code [from, to)} to {@code rows}, in no particular
   * order: all of them when the window holds at most {@code limit}, else about {@code limit} and
   * never more, one in every {@code ceil(n / limit)} chosen by a hash of the record's key (the same
   * records for the same window every time, spread over it as the records are). Shadow predictions
   * are left out unless a version is asked for (then that version's are included). Memory stays
   * bounded by the caller's consumer, never by the window's size.
   *
   * @param version only this version's records, or empty for every version
   * @return how many records the whole window holds
   */
  long sample(
      String model,
      Optional<String> version,
      Instant from,
      Instant to,
      int limit,
      Consumer<SampledRow> rows);

  /** A reliability diagram of a binary classifier in {@code bins} equal-width bins. */
  List<CalibrationBin> calibration(
      String model, QualitySpec spec, int bins, Optional<Duration> window);

  /** Whether the database answers now; cheap enough for a readiness probe. */
  boolean isAvailable();

  /** Flushes pending writes and closes connections. Idempotent. */
  @Override
  void close();
}

package dev.augur.persistence;

import dev.augur.core.HistoryStore;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.Outcome;
import dev.augur.core.PredictionRecord;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A history store whose database did not answer when it was opened: it keeps trying in the
 * background, with exponential backoff, and serves as the real store once one attempt succeeds.
 * Until then every call fails fast with {@link HistoryUnavailableException} and {@link
 * #isAvailable()} is false, so a server built on it is live but not ready. Thread-safe.
 */
final class BackgroundHistoryStore implements HistoryStore {
  private static final Logger log = LoggerFactory.getLogger(BackgroundHistoryStore.class);

  private final Supplier<HistoryStore> open;
  private final String description;
  private final Duration maxBackoff;
  private final ScheduledExecutorService retries;
  private volatile HistoryStore store;
  private volatile String lastProblem;
  private volatile boolean closed;
  private Duration backoff;

  BackgroundHistoryStore(
      Supplier<HistoryStore> open,
      String description,
      String firstProblem,
      Duration firstBackoff,
      Duration maxBackoff) {
    this.open = open;
    this.description = description;
    this.lastProblem = firstProblem;
    this.backoff = firstBackoff;
    this.maxBackoff = maxBackoff;
    this.retries = daemon("augur-history-open");
    schedule();
  }

  /** A scheduler on one daemon thread of that name: it never keeps the JVM from exiting. */
  static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  private void schedule() {
    log.warn(
        "the history database {} does not answer ({}); trying again in {} ms",
        description,
        lastProblem,
        backoff.toMillis());
    // nothing to check in the future: attempt() handles its own failures (it logs them and
    // schedules the next attempt), and close() stops a pending one with shutdownNow()
    ScheduledFuture<?> unused =
        retries.schedule(this::attempt, backoff.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void attempt() {
    if (closed) {
      return;
    }
    HistoryStore s;
    try {
      s = open.get();
    } catch (RuntimeException e) {
      lastProblem = Availability.rootMessage(e);
      backoff =
          backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      schedule();
      return;
    }
    synchronized (this) {
      if (closed) {
        s.close();
        return;
      }
      store = s;
    }
    log.info("the history database {} answers: the history store is open", description);
    retries.shutdown();
  }

  private HistoryStore store() {
    HistoryStore s = store;
    if (s == null) {
      throw new HistoryUnavailableException(
          "the history database does not answer yet (" + lastProblem + "); still trying");
    }
    return s;
  }

  @Override
  public PredictionRecord record(PredictionRecord record) {
    return store().record(record);
  }

  @Override
  public List<PredictionRecord> recordAll(List<PredictionRecord> records) {
    return store().recordAll(records);
  }

  @Override
  public PredictionRecord recordOutcome(String model, String id, Outcome outcome) {
    return store().recordOutcome(model, id, outcome);
  }

  @Override
  public Optional<PredictionRecord> find(String model, String id) {
    return store().find(model, id);
  }

  @Override
  public HistoryPage latest(String model, HistoryQuery query) {
    return store().latest(model, query);
  }

  @Override
  public List<PredictionRecord> range(String model, Instant from, Instant to, int limit) {
    return store().range(model, from, to, limit);
  }

  @Override
  public long count(String model) {
    return store().count(model);
  }

  @Override
  public void exportCsv(String model, List<String> observationFields, Writer out) {
    store().exportCsv(model, observationFields, out);
  }

  @Override
  public long purgeOlderThan(Instant cutoff) {
    return store().purgeOlderThan(cutoff);
  }

  @Override
  public QualityReport quality(String model, QualitySpec spec, QualityQuery query) {
    return store().quality(model, spec, query);
  }

  @Override
  public List<MetricPoint> qualityOverTime(
      String model, QualitySpec spec, String metric, Duration bucket, QualityQuery query) {
    return store().qualityOverTime(model, spec, metric, bucket, query);
  }

  @Override
  public List<MetricPoint> volume(String model, Duration bucket, HistoryWindow window) {
    return store().volume(model, bucket, window);
  }

  @Override
  public List<Double> scores(String model, QualitySpec spec, HistoryWindow window, int limit) {
    return store().scores(model, spec, window, limit);
  }

  @Override
  public long sample(String model, SampleQuery query, Consumer<SampledRow> rows) {
    return store().sample(model, query, rows);
  }

  @Override
  public List<CalibrationBin> calibration(
      String model, QualitySpec spec, int bins, HistoryWindow window) {
    return store().calibration(model, spec, bins, window);
  }

  @Override
  public boolean isAvailable() {
    HistoryStore s = store;
    return s != null && s.isAvailable();
  }

  @Override
  public void close() {
    HistoryStore s;
    synchronized (this) {
      closed = true;
      s = store;
    }
    retries.shutdownNow();
    if (s != null) {
      s.close();
    }
  }
}

package dev.augur.core;

import dev.augur.core.chart.ChartSpec;
import dev.augur.core.chart.ModelChart;
import dev.augur.core.chart.ModelChartQuery;
import dev.augur.core.chart.ModelCharts;
import dev.augur.core.drift.Drift;
import dev.augur.core.drift.DriftQuery;
import dev.augur.core.drift.DriftReport;
import dev.augur.core.drift.Profile;
import dev.augur.core.history.HistoryPage;
import dev.augur.core.history.HistoryQuery;
import dev.augur.core.history.QualityQuery;
import dev.augur.core.history.QualityReport;
import dev.augur.core.history.QualitySpec;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.model.ModelRegistry;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.model.TrafficSplit;
import dev.augur.core.schema.Feature;
import dev.augur.core.schema.SeriesFeature;
import dev.augur.core.source.ForecastCalendar;
import dev.augur.core.source.Point;
import dev.augur.core.source.Sources;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Augur's front door: models, their prediction history and live quality in one object. Every
 * prediction is validated, predicted, and — when a {@link HistoryStore} is present — recorded
 * durably before it is returned. Thread-safe. Owns the registry it opened and whatever was handed
 * to its builder: {@link #close()} closes them (idempotent).
 *
 * <pre>{@code
 * try (Augur augur = Augur.builder().models(Path.of("models")).history(store).build()) {
 *   PredictionRecord r = augur.predict("titanic", Observation.of(Map.of("age", 22.0, "gender", "male")));
 *   augur.recordOutcome("titanic", r.id(), "died");
 *   QualityReport q = augur.quality("titanic");
 * }
 * }</pre>
 */
public final class Augur implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Augur.class);

  private final ModelRegistry models;
  private final Optional<HistoryStore> history;
  private final Optional<String> defaultModel;
  private final Sources sources;
  private final Clock clock;
  private final List<AutoCloseable> owned;
  private final Map<String, TrafficSplit> traffic;
  private final Optional<ShadowRunner> shadows;
  private volatile boolean closed;
  private final AtomicInteger calls = new AtomicInteger();

  /** Predictions being made and recorded now (not reads): the shadow versions yield to them. */
  private final AtomicInteger answering = new AtomicInteger();

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private Augur(Builder b) {
    this.models =
        b.registry != null
            ? b.registry
            : b.registrySpec != null
                ? b.registrySpec.open()
                : ModelRegistry.open(b.modelDir, b.options);
    this.history = Optional.ofNullable(b.history);
    this.clock = b.clock;
    this.sources = b.sources;
    this.owned = new ArrayList<>(b.owned);
    if (b.registry == null) {
      owned.add(models);
    }
    String dm = b.defaultModel;
    // a default model that failed to load under keepGoing stays the default: its routes answer
    // that it is not served instead of silently going to another model
    if (dm != null
        && models.find(dm).isEmpty()
        && models.failures().stream().noneMatch(f -> f.model().equals(dm))) {
      throw new ModelNotFoundException("default model '" + dm + "' is not among " + models.names());
    }
    this.defaultModel = Optional.ofNullable(dm).or(() -> models.names().stream().findFirst());
    this.traffic = Map.copyOf(b.traffic);
    traffic.forEach(
        (model, split) -> {
          for (String v : split.weights().keySet()) {
            if (split.weights().get(v) > 0 && !models.versions(model).contains(v)) {
              throw new ModelNotFoundException(
                  "the traffic split of "
                      + model
                      + " names version "
                      + v
                      + ", which is not loaded; loaded: "
                      + models.versions(model));
            }
          }
        });
    b.shadows.forEach(
        (model, v) -> {
          if (!models.versions(model).contains(v)) {
            throw new ModelNotFoundException(
                "the shadow of "
                    + model
                    + " is version "
                    + v
                    + ", which is not loaded; loaded: "
                    + models.versions(model));
          }
        });
    if (!b.shadows.isEmpty() && b.history == null) {
      throw new IllegalStateException(
          "shadow versions record their predictions: build Augur with .history(store)");
    }
    this.shadows =
        b.shadows.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new ShadowRunner(
                    models,
                    b.history,
                    b.shadows,
                    b.shadowQueue,
                    answering::get,
                    b.shadowYieldAbove));
  }

  /** A builder; {@link Builder#models(Path)} (or a registry) is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The loaded models. */
  public ModelRegistry models() {
    return models;
  }

  /** The history store, when one is configured. */
  public Optional<HistoryStore> history() {
    return history;
  }

  /** The model the compatibility routes use: the configured one, else the first by name. */
  public Optional<String> defaultModel() {
    return defaultModel;
  }

  /** The data sources {@link #forecast} can fetch from. */
  public Sources sources() {
    return sources;
  }

  /** The manifest of a model's default version. */
  public ModelManifest manifest(String model) {
    return call(() -> manifestNow(model));
  }

  private ModelManifest manifestNow(String model) {
    return models.predictor(model).manifest();
  }

  /** Predicts with a model's default version under a generated id, and records it. */
  public PredictionRecord predict(String model, Observation observation) {
    return predict(model, PredictionRequest.defaults(), observation);
  }

  /**
   * Predicts and records one observation.
   *
   * @param model the model name
   * @param request the version (default: the highest, or the traffic split) and the id (default:
   *     generated); the same id with the same observation is an idempotent replay answering the
   *     stored record
   * @throws InvalidInputException listing every violation with its field
   * @throws PredictionConflictException when the id exists with a different observation
   * @throws ModelNotFoundException when the model or version is unknown
   * @throws OverloadedException when the model's queue is full
   * @throws HistoryUnavailableException when the history store cannot be written
   */
  public PredictionRecord predict(
      String model, PredictionRequest request, Observation observation) {
    Objects.requireNonNull(request, "request");
    return call(
        () ->
            shadowed(
                answering(() -> predictNow(model, request.version(), request.id(), observation))));
  }

  /**
   * Predicts and records one observation.
   *
   * @deprecated use {@link #predict(String, PredictionRequest, Observation)}
   */
  @Deprecated
  // a plain delegation: @InlineMe would make Error Prone's annotations a dependency of core's API
  @SuppressWarnings("InlineMeSuggester")
  public PredictionRecord predict(
      String model, Optional<String> version, Optional<Object> id, Observation observation) {
    return predict(model, new PredictionRequest(version, id), observation);
  }

  private PredictionRecord predictNow(
      String model, Optional<String> version, Optional<Object> id, Observation observation) {
    Objects.requireNonNull(observation, "observation");
    TrafficSplit split = version.isEmpty() ? traffic.get(model) : null;
    Predictor predictor = split == null ? predictor(model, version) : null;
    String pid = id.map(PredictionIds::check).orElseGet(PredictionIds::generate);
    if (split != null) {
      // by the id, so that a replay of the id lands on the version that answered it first
      predictor = predictor(model, Optional.of(split.choose(pid)));
    }
    // no look-up of the id first: the store's insert finds a replay or a conflict itself (see
    // HistoryStore.record), so a new id, the usual case, costs no read
    long t0 = System.nanoTime();
    Prediction p = predictor.predict(observation);
    double ms = (System.nanoTime() - t0) / 1e6;
    ModelManifest m = predictor.manifest();
    if (log.isDebugEnabled()) { // spares every prediction the argument array and boxing
      log.debug("predicted {} with {} v{} in {} ms", pid, m.name(), m.version(), ms);
    }
    return record(pid, m, observation, p, ms);
  }

  /**
   * Predict for a key: fetches the last {@code window} points of {@code key} from a data source,
   * forecasts them with a model whose input is one {@code series}, records the prediction (its
   * observation is the series used) and answers history and forecast, the forecast's times
   * continuing the input's calendar (see {@link ForecastCalendar}).
   *
   * @throws SourceNotFoundException when there is no such source
   * @throws KeyNotFoundException when the source has no such key
   * @throws DataSourceException when the source fails (the cause is attached)
   * @throws InvalidInputException when the model is not a forecast model over one series, or the
   *     key has fewer points than the model's window
   */
  public ForecastResult forecast(String model, String source, String key) {
    return call(
        () -> {
          ForecastResult r = answering(() -> forecastNow(model, source, key));
          shadowed(r.record());
          return r;
        });
  }

  private ForecastResult forecastNow(String model, String source, String key) {
    Objects.requireNonNull(key, "key");
    Predictor predictor = predictor(model, Optional.empty());
    ModelManifest m = predictor.manifest();
    List<Feature> features = m.inputs().features();
    if (m.task() != Task.FORECAST
        || features.size() != 1
        || !(features.get(0) instanceof SeriesFeature series)) {
      throw new InvalidInputException(
          "model", "model " + m.name() + " is not a forecast model with one series input");
    }
    List<Point> history = sources.get(source).fetch(key, series.window());
    if (history.size() < series.window()) {
      throw new InvalidInputException(
          "key",
          "source "
              + source
              + " has "
              + history.size()
              + " points for '"
              + key
              + "'; model "
              + m.name()
              + " needs "
              + series.window());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    values.put(series.name(), history.stream().map(Point::y).toList());
    Observation observation = Observation.of(values);
    long t0 = System.nanoTime();
    Forecast f = (Forecast) predictor.predict(observation);
    double ms = (System.nanoTime() - t0) / 1e6;
    List<Object> times = ForecastCalendar.next(history, f.values().size());
    List<Point> forecast = new ArrayList<>(times.size());
    for (int i = 0; i < times.size(); i++) {
      forecast.add(new Point(times.get(i), f.values().get(i)));
    }
    Forecast dated = new Forecast(f.values(), times.stream().map(String::valueOf).toList());
    PredictionRecord stored = record(PredictionIds.generate(), m, observation, dated, ms);
    return new ForecastResult(stored, source, key, history, forecast);
  }

  /**
   * Predicts and records several observations in one forward pass, each under a generated id.
   * Violations name their instance ({@code instances[3].Age}). The model's default version answers,
   * or its traffic split.
   */
  public List<PredictionRecord> predictBatch(String model, List<Observation> observations) {
    return call(
        () -> shadowed(answering(() -> predictBatchNow(model, Optional.empty(), observations))));
  }

  /**
   * Predicts and records several observations with one version in one forward pass, each under a
   * generated id. Violations name their instance ({@code instances[3].Age}).
   */
  public List<PredictionRecord> predictBatch(
      String model, String version, List<Observation> observations) {
    Objects.requireNonNull(version, "version");
    return call(
        () ->
            shadowed(answering(() -> predictBatchNow(model, Optional.of(version), observations))));
  }

  /**
   * Predicts and records several observations, with a version when given.
   *
   * @deprecated use {@link #predictBatch(String, List)} or {@link #predictBatch(String, String,
   *     List)}
   */
  @Deprecated
  public List<PredictionRecord> predictBatch(
      String model, Optional<String> version, List<Observation> observations) {
    return call(() -> shadowed(answering(() -> predictBatchNow(model, version, observations))));
  }

  private List<PredictionRecord> predictBatchNow(
      String model, Optional<String> version, List<Observation> observations) {
    Objects.requireNonNull(observations, "observations");
    TrafficSplit split = version.isEmpty() ? traffic.get(model) : null;
    if (split != null && !observations.isEmpty()) {
      return predictSplit(model, split, observations);
    }
    Predictor predictor = predictor(model, version);
    long t0 = System.nanoTime();
    List<Prediction> ps = predictor.predictBatch(observations);
    double ms = (System.nanoTime() - t0) / 1e6;
    ModelManifest m = predictor.manifest();
    Instant now = Instant.now(clock);
    List<PredictionRecord> records = new ArrayList<>(ps.size());
    for (int i = 0; i < ps.size(); i++) {
      records.add(
          PredictionRecord.of(
              PredictionIds.generate(),
              m.name(),
              m.version(),
              now,
              observations.get(i),
              ps.get(i),
              ms));
    }
    return history.map(h -> h.recordAll(records)).orElse(records);
  }

  /**
   * Hands answered records to the model's shadow version, if it has one, without waiting; called
   * once the answer is no longer counted as in flight, so that a lone caller's own answer never
   * makes the shadow yield.
   */
  private List<PredictionRecord> shadowed(List<PredictionRecord> answered) {
    shadows.ifPresent(s -> s.submit(answered));
    return answered;
  }

  private PredictionRecord shadowed(PredictionRecord answered) {
    shadows.ifPresent(s -> s.submit(List.of(answered)));
    return answered;
  }

  /** Counts an answer in flight while it is predicted and recorded (the shadows yield to them). */
  private <T> T answering(Supplier<T> work) {
    answering.incrementAndGet();
    try {
      return work.get();
    } finally {
      answering.decrementAndGet();
    }
  }

  /** A batch under a traffic split: each instance's generated id picks its version. */
  private List<PredictionRecord> predictSplit(
      String model, TrafficSplit split, List<Observation> observations) {
    List<String> ids = new ArrayList<>(observations.size());
    Map<String, List<Integer>> byVersion = new LinkedHashMap<>();
    for (int i = 0; i < observations.size(); i++) {
      String pid = PredictionIds.generate();
      ids.add(pid);
      byVersion.computeIfAbsent(split.choose(pid), v -> new ArrayList<>()).add(i);
    }
    PredictionRecord[] out = new PredictionRecord[observations.size()];
    Instant now = Instant.now(clock);
    for (var e : byVersion.entrySet()) {
      Predictor predictor = predictor(model, Optional.of(e.getKey()));
      List<Observation> group = e.getValue().stream().map(observations::get).toList();
      long t0 = System.nanoTime();
      List<Prediction> ps;
      try {
        ps = predictor.predictBatch(group);
      } catch (InvalidInputException x) {
        // name the violations by the instance's place in the whole batch, not in its group
        List<Violation> renamed = new ArrayList<>();
        for (Violation v : x.violations()) {
          String f = v.field();
          if (f.startsWith("instances[")) {
            int close = f.indexOf(']');
            int k = Integer.parseInt(f.substring("instances[".length(), close));
            f = "instances[" + e.getValue().get(k) + f.substring(close);
          }
          renamed.add(new Violation(f, v.message()));
        }
        throw new InvalidInputException(renamed);
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      ModelManifest m = predictor.manifest();
      for (int j = 0; j < ps.size(); j++) {
        int i = e.getValue().get(j);
        out[i] =
            PredictionRecord.of(
                ids.get(i), m.name(), m.version(), now, observations.get(i), ps.get(j), ms);
      }
    }
    List<PredictionRecord> records = List.of(out);
    return history.map(h -> h.recordAll(records)).orElse(records);
  }

  /** The traffic split of a model, when one is configured. */
  public Optional<TrafficSplit> traffic(String model) {
    return Optional.ofNullable(traffic.get(model));
  }

  /** The shadow version of a model, when one is configured. */
  public Optional<String> shadow(String model) {
    return shadows.map(s -> s.version(model));
  }

  /**
   * What the shadow version of a model has done since start: recorded, dropped (it could not keep
   * up), failed; all zero when it has none.
   */
  public ShadowStats shadowStats(String model) {
    return shadows.map(s -> s.stats(model)).orElse(new ShadowStats(0, 0, 0, 0));
  }

  /** A new prediction's record, committed to the history when there is one. */
  private PredictionRecord record(
      String id, ModelManifest m, Observation observation, Prediction p, double ms) {
    PredictionRecord r =
        PredictionRecord.of(id, m.name(), m.version(), Instant.now(clock), observation, p, ms);
    return history.map(h -> h.record(r)).orElse(r);
  }

  private Predictor predictor(String model, Optional<String> version) {
    Objects.requireNonNull(model, "model");
    checkOpen();
    return version.map(v -> models.predictor(model, v)).orElseGet(() -> models.predictor(model));
  }

  /**
   * Records the true outcome of a prediction.
   *
   * @param outcome for classification a label or its 0-based index (a boolean means the positive
   *     label for binary models); for regression a number; for a forecast an array of numbers
   * @throws InvalidInputException naming {@code outcome}
   * @throws RecordNotFoundException when no prediction has that id
   */
  public PredictionRecord recordOutcome(String model, String id, Object outcome) {
    return call(() -> recordOutcomeNow(model, id, outcome));
  }

  private PredictionRecord recordOutcomeNow(String model, String id, Object outcome) {
    HistoryStore h = requireHistory();
    ModelManifest m = manifest(model);
    return h.recordOutcome(model, id, Outcomes.parse(outcome, m, "outcome"));
  }

  /**
   * One recorded prediction.
   *
   * @throws RecordNotFoundException when no prediction has that id
   */
  public PredictionRecord record(String model, String id) {
    return call(() -> recordNow(model, id));
  }

  private PredictionRecord recordNow(String model, String id) {
    manifest(model);
    return requireHistory()
        .find(model, id)
        .orElseThrow(
            () ->
                new RecordNotFoundException(
                    "model " + model + " has no prediction with id '" + id + "'"));
  }

  /**
   * A page of a model's history, newest first: the newest {@code n} answered records (or its shadow
   * version's), older than the query's cursor when it has one.
   *
   * <pre>{@code
   * HistoryPage page = augur.history("titanic", HistoryQuery.newest(50));
   * }</pre>
   *
   * @throws InvalidInputException naming {@code n} when it is not within 1..10000, or {@code
   *     before} when the cursor is malformed
   */
  public HistoryPage history(String model, HistoryQuery query) {
    Objects.requireNonNull(query, "query");
    return call(() -> historyNow(model, query));
  }

  /**
   * The newest {@code n} records of a model, newest first, after the {@code before} cursor.
   *
   * @deprecated use {@link #history(String, HistoryQuery)}
   */
  @Deprecated
  // a plain delegation: @InlineMe would make Error Prone's annotations a dependency of core's API
  @SuppressWarnings("InlineMeSuggester")
  public HistoryPage history(String model, int n, Optional<String> before) {
    return history(model, new HistoryQuery(n, before, false));
  }

  /**
   * The newest {@code n} answered records of a model, or with {@code shadow} those of its shadow
   * version, newest first, after the {@code before} cursor.
   *
   * @deprecated use {@link #history(String, HistoryQuery)}
   */
  @Deprecated
  // a plain delegation: @InlineMe would make Error Prone's annotations a dependency of core's API
  @SuppressWarnings("InlineMeSuggester")
  public HistoryPage history(String model, int n, Optional<String> before, boolean shadow) {
    return history(model, new HistoryQuery(n, before, shadow));
  }

  private HistoryPage historyNow(String model, HistoryQuery q) {
    manifest(model);
    if (q.n() < 1 || q.n() > 10_000) {
      throw new InvalidInputException("n", "must be an integer within 1..10000");
    }
    return requireHistory().latest(model, q);
  }

  /** Quality over all the model's labelled answered records. */
  public QualityReport quality(String model) {
    return quality(model, QualityQuery.all());
  }

  /**
   * Quality over the model's labelled records that the query selects: all of them or those of a
   * recent window, of every version or of one version (its shadow predictions included: with a
   * traffic split, champion and challenger compared on the same stream of requests).
   *
   * <pre>{@code
   * QualityReport challenger = augur.quality("titanic", QualityQuery.last(Duration.ofDays(7)).version("2"));
   * }</pre>
   */
  public QualityReport quality(String model, QualityQuery query) {
    Objects.requireNonNull(query, "query");
    return call(() -> qualityNow(model, query));
  }

  private QualityReport qualityNow(String model, QualityQuery q) {
    ModelManifest m = manifest(model);
    return requireHistory().quality(model, QualitySpec.of(m), q);
  }

  /**
   * Quality over the model's labelled records, in the last {@code window} when given.
   *
   * @deprecated use {@link #quality(String)} or {@link #quality(String, QualityQuery)}
   */
  @Deprecated
  // a plain delegation: @InlineMe would make Error Prone's annotations a dependency of core's API
  @SuppressWarnings("InlineMeSuggester")
  public QualityReport quality(String model, Optional<Duration> window) {
    return quality(model, new QualityQuery(window, Optional.empty()));
  }

  /**
   * Quality of one version's labelled records, in the last {@code window} when given.
   *
   * @deprecated use {@link #quality(String, QualityQuery)} with {@link QualityQuery#version}
   */
  @Deprecated
  public QualityReport quality(String model, String version, Optional<Duration> window) {
    Objects.requireNonNull(version, "version");
    return quality(model, new QualityQuery(window, Optional.of(version)));
  }

  /**
   * How far a window of the model's inputs and predictions moved from a reference window or from
   * the training profile ({@code profile.json} beside the version's {@code model.json}).
   *
   * <pre>{@code
   * DriftReport r = augur.drift("titanic", DriftQuery.lastDay());
   * r.drifted(); // e.g. [age, prediction]
   * }</pre>
   *
   * @throws InvalidInputException naming the parameter when a window is empty or inverted, or
   *     naming {@code reference_from} when there is neither a reference window nor a profile
   * @throws ModelNotFoundException when the model or the query's version is unknown
   */
  public DriftReport drift(String model, DriftQuery query) {
    return call(() -> driftNow(model, query));
  }

  private DriftReport driftNow(String model, DriftQuery query) {
    Objects.requireNonNull(query, "query");
    HistoryStore store = requireHistory();
    ModelManifest m = predictor(model, query.version()).manifest();
    Instant now = Instant.now(clock);
    return Profile.find(m.directory())
        .map(profile -> Drift.compare(m, query, store, profile, now))
        .orElseGet(() -> Drift.compare(m, query, store, now));
  }

  /**
   * A chart of the model's history at the default size over all of it: give the spec to a {@link
   * ChartRenderer} for PNG, SVG or JPEG bytes.
   *
   * <pre>{@code
   * ChartSpec spec = augur.chart("titanic", ModelChart.CALIBRATION);
   * byte[] png = XChartRenderer.create().render(spec, ImageFormat.PNG);
   * }</pre>
   *
   * @see #chart(String, ModelChart, ModelChartQuery)
   */
  public ChartSpec chart(String model, ModelChart kind) {
    return chart(model, kind, ModelChartQuery.defaults());
  }

  /**
   * A chart of the model's history (the same as {@code GET /models/{m}/charts/{kind}.png}):
   * prediction volume, score distribution, a quality metric over time, calibration, the confusion
   * matrix, or drift ({@link #drift}).
   *
   * @throws NothingToDrawException when there is nothing to draw yet (no records, or no labelled
   *     ones, in the window; too few for drift), or the kind is not for the model's task
   * @throws ModelNotFoundException when the model is unknown
   * @throws InvalidInputException naming the parameter of a bad drift window or metric
   * @throws HistoryStoreException when no history store is configured
   */
  public ChartSpec chart(String model, ModelChart kind, ModelChartQuery query) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(query, "query");
    if (kind == ModelChart.DRIFT) {
      return ModelCharts.drift(drift(model, query.drift()), query.width(), query.height());
    }
    HistoryStore store = requireHistory();
    return ModelCharts.fromHistory(manifest(model), store, kind, query, Instant.now(clock));
  }

  private HistoryStore requireHistory() {
    checkOpen();
    return history.orElseThrow(
        () ->
            new HistoryStoreException(
                "no history store is configured: build Augur with .history(store)"));
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException("Augur is closed");
    }
  }

  /**
   * Runs one call of the public API, counted, so that {@link #close()} lets it finish (and write
   * its record) before closing the models and the history under it.
   */
  private <T> T call(Supplier<T> work) {
    calls.incrementAndGet();
    try {
      checkOpen();
      return work.get();
    } finally {
      if (calls.decrementAndGet() == 0 && closed) {
        synchronized (calls) {
          calls.notifyAll();
        }
      }
    }
  }

  /**
   * Closes the registry (if this object opened it) and everything handed to the builder. Calls made
   * from now on fail with {@link ClosedException}; calls already running are waited for (up to 30
   * s), so every prediction answered was recorded.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    synchronized (calls) {
      long left;
      while (calls.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          calls.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (calls.get() > 0) {
      log.warn("closing with {} calls still running after {}", calls.get(), CLOSE_WAIT);
    }
    // before the history closes: what the shadows have queued is recorded first
    shadows.ifPresent(ShadowRunner::close);
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        log.warn("closing {} failed", owned.get(i), e);
      }
    }
  }

  /** Builds an {@link Augur}. Not thread-safe. */
  public static final class Builder {
    private Path modelDir;
    private ModelRegistry registry;
    private ModelRegistry.Builder registrySpec;
    private PredictorOptions options = PredictorOptions.defaults();
    private HistoryStore history;
    private String defaultModel;
    private Sources sources = Sources.none();
    private Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Map<String, TrafficSplit> traffic = new LinkedHashMap<>();
    private final Map<String, String> shadows = new LinkedHashMap<>();
    private int shadowQueue = 1024;
    private int shadowYieldAbove = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private Builder() {}

    /**
     * Makes {@code version} the shadow of {@code model}: every observation answered by another
     * version is predicted again by it off the request path and recorded under the same id with
     * {@code shadow = true}, never answered. A shadow that falls behind drops observations (counted
     * in {@link Augur#shadowStats}) rather than slow the answers. Needs a history store; the
     * version must be loaded.
     */
    public Builder shadow(String model, String version) {
      shadows.put(
          Objects.requireNonNull(model, "model"), Objects.requireNonNull(version, "version"));
      return this;
    }

    /**
     * How many answered observations may wait for the shadow versions (default 1024); beyond it
     * they are dropped and counted.
     */
    public Builder shadowQueue(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("shadowQueue must be at least 1: " + capacity);
      }
      this.shadowQueue = capacity;
      return this;
    }

    /**
     * How many answers may be in flight (being predicted and recorded) while the shadow versions
     * still predict; above it, the shadow skips what it has taken from its queue (counted as {@code
     * skipped} in {@link Augur#shadowStats}) so that it never takes the CPU the answers need.
     * Default: half the processors, at least 1. A shadow is thus a best-effort sample of the
     * traffic under load and a full copy of it when the server has CPU to spare; 0 makes it predict
     * only while no answer is in flight.
     */
    public Builder shadowYieldAbove(int answers) {
      if (answers < 0) {
        throw new IllegalArgumentException("shadowYieldAbove must be at least 0: " + answers);
      }
      this.shadowYieldAbove = answers;
      return this;
    }

    /**
     * Splits the requests of {@code model} that name no version between versions by weight, decided
     * by a stable hash of the prediction id (see {@link TrafficSplit}); a request naming a version
     * always gets it. Every weighted version must be loaded.
     */
    public Builder traffic(String model, TrafficSplit split) {
      traffic.put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(split, "split"));
      return this;
    }

    /** The model repository folder to open ({@code NAME/VERSION/model.json}). */
    public Builder models(Path modelDir) {
      this.modelDir = Objects.requireNonNull(modelDir, "modelDir");
      return this;
    }

    /**
     * The registry to open, with its per-model settings (pinned versions, pools, batching); Augur
     * owns it and closes it on {@link Augur#close()}.
     */
    public Builder models(ModelRegistry.Builder registry) {
      this.registrySpec = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** An already open registry (not closed by {@link Augur#close()}). */
    public Builder registry(ModelRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Options for loading models from {@link #models(Path)}. */
    public Builder predictorOptions(PredictorOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The history store; Augur closes it on {@link Augur#close()}. */
    public Builder history(HistoryStore history) {
      this.history = Objects.requireNonNull(history, "history");
      owned.add(history);
      return this;
    }

    /** The data sources for {@link Augur#forecast}; Augur closes them on {@link Augur#close()}. */
    public Builder sources(Sources sources) {
      this.sources = Objects.requireNonNull(sources, "sources");
      owned.add(sources);
      return this;
    }

    /** The default model for the compatibility routes. */
    public Builder defaultModel(String name) {
      this.defaultModel = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The clock for {@code created_at} (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds it, loading every model.
     *
     * @throws ModelLoadException when a model fails to load
     */
    public Augur build() {
      if (modelDir == null && registry == null && registrySpec == null) {
        throw new IllegalStateException("set models(Path) or registry(ModelRegistry)");
      }
      return new Augur(this);
    }
  }
}

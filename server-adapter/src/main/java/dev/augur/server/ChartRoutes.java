package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Augur;
import dev.augur.core.ChartRenderer;
import dev.augur.core.Forecast;
import dev.augur.core.ForecastResult;
import dev.augur.core.HistoryStore;
import dev.augur.core.ImageFormat;
import dev.augur.core.PredictionRecord;
import dev.augur.core.RecordNotFoundException;
import dev.augur.core.Task;
import dev.augur.core.chart.CalibrationChart;
import dev.augur.core.chart.ChartSpec;
import dev.augur.core.chart.ChartSpecs;
import dev.augur.core.chart.ConfusionChart;
import dev.augur.core.chart.DriftChart;
import dev.augur.core.chart.ForecastChart;
import dev.augur.core.chart.ForecastPoint;
import dev.augur.core.chart.QualityChart;
import dev.augur.core.chart.ScoresChart;
import dev.augur.core.chart.VolumeChart;
import dev.augur.core.history.QualitySpec;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.source.Point;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chart routes: model charts drawn from the history, forecast charts, and {@code POST /plot}.
 */
final class ChartRoutes implements Service {
  static final List<String> MODEL_KINDS =
      List.of("volume", "scores", "quality", "calibration", "confusion", "drift");
  private static final int MAX_SCORES = 50_000;

  private final Calls calls;
  private final Augur augur;
  private final Optional<ChartRenderer> renderer;
  private final RecentForecasts forecasts;

  ChartRoutes(Calls calls, Optional<ChartRenderer> renderer, RecentForecasts forecasts) {
    this.calls = calls;
    this.augur = calls.augur();
    this.renderer = renderer;
    this.forecasts = forecasts;
  }

  @Override
  public void register(Router r) {
    r.get(
            "/models/{m}/charts/{file}",
            ex -> modelChart(ex, calls.model(ex), Http.pathParam(ex, "file")))
        .get(
            "/models/{m}/forecasts/{file}",
            ex -> forecastChart(ex, calls.model(ex), Http.pathParam(ex, "file")))
        .post("/plot", this::plot);
  }

  private void plot(HttpServerExchange ex) {
    JsonNode body = calls.objectBody(ex);
    ImageFormat format =
        Http.param(ex, "format")
            .map(
                f ->
                    ImageFormat.parse(f)
                        .orElseThrow(
                            () ->
                                HttpProblem.badParameter(
                                    "format", "format must be png, svg or jpeg")))
            .orElseGet(() -> fromAccept(ex));
    send(ex, ChartSpecs.fromJson(body), format);
  }

  private static ImageFormat fromAccept(HttpServerExchange ex) {
    String accept = ex.getRequestHeaders().getFirst(Headers.ACCEPT);
    if (accept != null) {
      for (String part : accept.split(",")) {
        Optional<ImageFormat> f = ImageFormat.parse(part.split(";", 2)[0]);
        if (f.isPresent()) {
          return f.get();
        }
      }
    }
    return ImageFormat.PNG;
  }

  private void send(HttpServerExchange ex, ChartSpec spec, ImageFormat format) {
    ChartRenderer r =
        renderer.orElseThrow(() -> HttpProblem.notFound("this server has no chart renderer"));
    byte[] bytes = r.render(spec, format);
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    Http.sendBytes(ex, 200, format.mediaType(), bytes);
  }

  private record File(String name, ImageFormat format) {}

  private static File file(String file) {
    int dot = file.lastIndexOf('.');
    Optional<ImageFormat> f =
        dot < 0 ? Optional.empty() : ImageFormat.parse(file.substring(dot + 1));
    if (f.isEmpty()) {
      throw HttpProblem.notFound("charts are .png, .svg or .jpeg files, not " + file);
    }
    return new File(file.substring(0, dot), f.get());
  }

  private static int size(HttpServerExchange ex, String name, int dflt) {
    return Http.intParam(ex, name, 100, 4000, dflt);
  }

  /**
   * {@code GET /models/{m}/forecasts/{id}.png}: the chart of a forecast made by {@code /forecast}.
   */
  private void forecastChart(HttpServerExchange ex, String model, String fileName) {
    File f = file(fileName);
    ForecastResult r = forecasts.find(f.name()).orElse(null);
    int w = size(ex, "width", 800);
    int h = size(ex, "height", 500);
    if (r != null && r.record().model().equals(model)) {
      send(ex, r.chart(w, h), f.format());
      return;
    }
    // an older forecast: draw it from its record, on step numbers
    PredictionRecord rec =
        augur
            .history()
            .flatMap(store -> store.find(model, f.name()))
            .orElseThrow(
                () ->
                    new RecordNotFoundException(
                        "model " + model + " has no forecast '" + f.name() + "'"));
    if (!(rec.prediction() instanceof Forecast fc)) {
      throw HttpProblem.notFound("prediction " + f.name() + " is not a forecast");
    }
    List<?> values =
        rec.observation().values().values().stream()
            .findFirst()
            .filter(v -> v instanceof List<?>)
            .map(v -> (List<?>) v)
            .orElse(List.of());
    List<Point> history = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      history.add(new Point(i - values.size() + 1, ((Number) values.get(i)).doubleValue()));
    }
    List<ForecastPoint> forecast = new ArrayList<>();
    for (int i = 0; i < fc.values().size(); i++) {
      forecast.add(new ForecastPoint(i + 1, fc.values().get(i)));
    }
    send(ex, new ForecastChart("Forecast " + f.name(), w, h, history, forecast), f.format());
  }

  /** {@code GET /models/{m}/charts/{kind}.{png,svg,jpeg}}: charts of the history and quality. */
  private void modelChart(HttpServerExchange ex, String model, String fileName) {
    File f = file(fileName);
    if (!MODEL_KINDS.contains(f.name())) {
      throw HttpProblem.notFound("no chart kind '" + f.name() + "'; kinds: " + MODEL_KINDS);
    }
    int w = size(ex, "width", 800);
    int h = size(ex, "height", 500);
    if (f.name().equals("drift")) {
      var query = DriftParams.query(ex);
      calls.requireHistory();
      var report = augur.drift(model, query);
      if (report.features().stream().allMatch(x -> x.value().isEmpty())) {
        throw HttpProblem.notFound(
            "nothing to draw yet: "
                + model
                + " needs at least 30 predictions in each window (reference "
                + report.reference().count()
                + ", current "
                + report.current().count()
                + ")");
      }
      send(
          ex,
          new DriftChart(
              "Drift of " + model + " (PSI)", w, h, report.features(), report.threshold()),
          f.format());
      return;
    }
    Optional<Duration> window = Http.window(ex);
    HistoryStore store = calls.requireHistory();
    ModelManifest m = augur.manifest(model);
    QualitySpec spec = QualitySpec.of(m);
    ChartSpec chart =
        switch (f.name()) {
          case "volume" ->
              new VolumeChart(
                  "Predictions of " + model,
                  w,
                  h,
                  store.volume(model, bucket(ex, store, model, window), window));
          case "scores" ->
              new ScoresChart(
                  scoreTitle(m),
                  w,
                  h,
                  store.scores(model, spec, window, MAX_SCORES),
                  m.task() == Task.BINARY_CLASSIFICATION
                      ? "P(" + spec.positive().orElse("positive") + ")"
                      : m.task().isClassification()
                          ? "probability of the predicted label"
                          : "predicted value");
          case "quality" -> {
            String metric = Http.param(ex, "metric").orElse(defaultMetric(m.task()));
            // one version's quality (its shadow predictions included), for champion and challenger
            Optional<String> version = Http.param(ex, "version").filter(v -> !v.isBlank());
            yield new QualityChart(
                metric + " of " + model + version.map(v -> " v" + v).orElse("") + " over time",
                w,
                h,
                metric,
                store.qualityOverTime(
                    model, version, spec, metric, bucket(ex, store, model, window), window));
          }
          case "calibration" -> {
            if (m.task() != Task.BINARY_CLASSIFICATION) {
              throw HttpProblem.notFound(
                  "calibration charts are for binary classifiers; "
                      + model
                      + " is "
                      + m.task().id());
            }
            int bins = Http.intParam(ex, "bins", 2, 50, 10);
            yield new CalibrationChart(
                "Calibration of " + model, w, h, store.calibration(model, spec, bins, window));
          }
          default -> {
            if (!m.task().isClassification()) {
              throw HttpProblem.notFound(
                  "confusion matrices are for classifiers; " + model + " is " + m.task().id());
            }
            Object c = augur.quality(model, window).metrics().get("confusion");
            yield new ConfusionChart(
                "Confusion matrix of " + model,
                w,
                h,
                spec.labels(),
                counts(c, spec.labels().size()));
          }
        };
    if (isEmpty(chart)) {
      throw HttpProblem.notFound(
          "nothing to draw yet: "
              + model
              + " has no "
              + (List.of("quality", "calibration", "confusion").contains(f.name())
                  ? "labelled "
                  : "")
              + "predictions"
              + window.map(d -> " in the last " + d).orElse(""));
    }
    send(ex, chart, f.format());
  }

  private static boolean isEmpty(ChartSpec c) {
    if (c instanceof VolumeChart v) {
      return v.points().isEmpty();
    }
    if (c instanceof ScoresChart s) {
      return s.scores().isEmpty();
    }
    if (c instanceof QualityChart q) {
      return q.points().stream().allMatch(p -> p.value().isEmpty());
    }
    if (c instanceof CalibrationChart cal) {
      return cal.bins().stream().allMatch(b -> b.count() == 0);
    }
    if (c instanceof ConfusionChart m) {
      return m.counts().stream().flatMap(List::stream).allMatch(n -> n == 0);
    }
    return false;
  }

  private static String scoreTitle(ModelManifest m) {
    return (m.task().isClassification() ? "Predicted probabilities of " : "Predicted values of ")
        + m.name();
  }

  private static String defaultMetric(Task t) {
    return switch (t) {
      case BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION -> "accuracy";
      case REGRESSION -> "mae";
      case FORECAST -> "mae_mean";
    };
  }

  private static List<List<Long>> counts(Object confusion, int k) {
    List<List<Long>> out = new ArrayList<>();
    if (confusion instanceof List<?> rows && rows.size() == k) {
      for (Object row : rows) {
        List<Long> r = new ArrayList<>();
        for (Object c : (List<?>) row) {
          r.add(((Number) c).longValue());
        }
        out.add(r);
      }
      return out;
    }
    for (int i = 0; i < k; i++) {
      out.add(new ArrayList<>(java.util.Collections.nCopies(k, 0L)));
    }
    return out;
  }

  /**
   * A time bucket: {@code bucket=1h} when given, else about 40 buckets over the window or the data.
   */
  private static Duration bucket(
      HttpServerExchange ex, HistoryStore store, String model, Optional<Duration> window) {
    Optional<Duration> given = Http.duration(ex, "bucket");
    if (given.isPresent()) {
      return given.get();
    }
    Duration span =
        window.orElseGet(
            () -> {
              Instant now = Instant.now();
              List<PredictionRecord> oldest =
                  store.range(model, Instant.EPOCH, now.plusSeconds(1), 1);
              return oldest.isEmpty()
                  ? Duration.ofHours(1)
                  : Duration.between(oldest.get(0).createdAt(), now);
            });
    return nice(span.dividedBy(40));
  }

  private static Duration nice(Duration d) {
    for (Duration step :
        List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ofHours(1),
            Duration.ofHours(6),
            Duration.ofDays(1),
            Duration.ofDays(7))) {
      if (d.compareTo(step) <= 0) {
        return step;
      }
    }
    return Duration.ofDays(30);
  }
}

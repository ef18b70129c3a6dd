package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Augur;
import dev.augur.core.ChartRenderer;
import dev.augur.core.Forecast;
import dev.augur.core.ForecastResult;
import dev.augur.core.ImageFormat;
import dev.augur.core.PredictionRecord;
import dev.augur.core.RecordNotFoundException;
import dev.augur.core.chart.ChartSpec;
import dev.augur.core.chart.ChartSpecs;
import dev.augur.core.chart.ForecastChart;
import dev.augur.core.chart.ForecastPoint;
import dev.augur.core.chart.ModelChart;
import dev.augur.core.chart.ModelChartQuery;
import dev.augur.core.source.Point;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chart routes: a model's charts ({@link Augur#chart}), forecast charts, and {@code POST
 * /plot}. They read parameters and write images; the charts are built in core.
 */
final class ChartRoutes implements Service {
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
    send(ex, ChartSpecs.fromJson(body.toString()), format);
  }

  private static ImageFormat fromAccept(HttpServerExchange ex) {
    String accept = ex.getRequestHeaders().getFirst(Headers.ACCEPT);
    if (accept != null) {
      // -1: every part, an empty one too (it names no format, as before)
      for (String part : accept.split(",", -1)) {
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

  /**
   * {@code GET /models/{m}/charts/{kind}.{png,svg,jpeg}}: a chart of the history, built by {@link
   * Augur#chart}; this route only reads the parameters.
   */
  private void modelChart(HttpServerExchange ex, String model, String fileName) {
    File f = file(fileName);
    ModelChart kind =
        ModelChart.parse(f.name())
            .orElseThrow(
                () ->
                    HttpProblem.notFound(
                        "no chart kind '" + f.name() + "'; kinds: " + ModelChart.ids()));
    ModelChartQuery.Builder q =
        ModelChartQuery.builder().size(size(ex, "width", 800), size(ex, "height", 500));
    if (kind == ModelChart.DRIFT) {
      q.drift(DriftParams.query(ex));
    } else {
      Http.window(ex).ifPresent(q::window);
    }
    if (kind == ModelChart.VOLUME || kind == ModelChart.QUALITY) {
      Http.duration(ex, "bucket").ifPresent(q::bucket);
    }
    if (kind == ModelChart.QUALITY) {
      Http.param(ex, "metric").ifPresent(q::metric);
      // one version's quality (its shadow predictions included), for champion and challenger
      Calls.version(ex).ifPresent(q::version);
    }
    if (kind == ModelChart.CALIBRATION) {
      q.bins(Http.intParam(ex, "bins", 2, 50, ModelChartQuery.DEFAULT_BINS));
    }
    calls.requireHistory();
    send(ex, augur.chart(model, kind, q.build()), f.format());
  }
}

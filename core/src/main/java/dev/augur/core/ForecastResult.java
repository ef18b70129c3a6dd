package dev.augur.core;

import dev.augur.core.chart.ForecastChart;
import dev.augur.core.chart.ForecastPoint;
import dev.augur.core.source.Point;
import java.util.List;
import java.util.Objects;

/**
 * The answer of {@link Augur#forecast}: the recorded prediction, the points it was made from
 * (oldest first) and the forecast with times continuing the input's calendar.
 *
 * @param record the recorded prediction (its observation is the series used)
 * @param source the data source's name
 * @param key the key the series was fetched for
 * @param history the points used, oldest first
 * @param forecast the forecast points, in horizon order
 */
public record ForecastResult(
    PredictionRecord record, String source, String key, List<Point> history, List<Point> forecast) {
  /** Checks the parts are present and freezes the lists. */
  public ForecastResult {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    history = List.copyOf(history);
    forecast = List.copyOf(forecast);
  }

  /**
   * The chart of this forecast — the history line, then the forecast — at the default size, ready
   * for a {@link ChartRenderer}: {@code renderer.render(result.chart(), ImageFormat.PNG)}.
   */
  public ForecastChart chart() {
    return chart(ForecastChart.DEFAULT_WIDTH, ForecastChart.DEFAULT_HEIGHT);
  }

  /** The chart of this forecast at a size in pixels. */
  public ForecastChart chart(int width, int height) {
    String title =
        key
            + " — "
            + forecast.size()
            + "-step forecast ("
            + record.model()
            + " v"
            + record.version()
            + ")";
    List<ForecastPoint> points =
        forecast.stream().map(p -> new ForecastPoint(p.t(), p.y())).toList();
    return new ForecastChart(title, width, height, history, points);
  }
}

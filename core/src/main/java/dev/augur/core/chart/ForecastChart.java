package dev.augur.core.chart;

import dev.augur.core.source.Point;
import java.util.List;
import java.util.Objects;

/**
 * A forecast: the history line, the forecast line and, where the forecast points carry {@code
 * lower}/{@code upper}, a shaded band. JSON kind {@code "forecast"}. Immutable and thread-safe.
 *
 * <pre>{@code
 * ChartSpec spec = new ForecastChart(
 *     List.of(new Point(LocalDate.parse("2008-09-01"), 5123.4)),
 *     List.of(new ForecastPoint(LocalDate.parse("2008-09-02"), 5130.0, 5100.0, 5160.0)));
 * }</pre>
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param history the observed values, oldest first
 * @param forecast the forecast values, oldest first
 */
public record ForecastChart(
    String title, int width, int height, List<Point> history, List<ForecastPoint> forecast)
    implements ChartSpec {
  /** Copies the lists and checks nothing is null. */
  public ForecastChart {
    Objects.requireNonNull(title, "title");
    history = Specs.copy(history, "history");
    forecast = Specs.copy(forecast, "forecast");
  }

  /** A forecast chart without a title at the default size. */
  public ForecastChart(List<Point> history, List<ForecastPoint> forecast) {
    this("", DEFAULT_WIDTH, DEFAULT_HEIGHT, history, forecast);
  }

  /** A forecast chart with a title at the default size. */
  public ForecastChart(String title, List<Point> history, List<ForecastPoint> forecast) {
    this(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, history, forecast);
  }

  @Override
  public String kind() {
    return "forecast";
  }
}

package dev.augur.core.chart;

import java.util.List;
import java.util.Objects;

/**
 * One or more named series as lines over a date or number axis. JSON kind {@code "line"}. Immutable
 * and thread-safe.
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param series the lines; names must differ
 */
public record LineChart(String title, int width, int height, List<Series> series)
    implements ChartSpec {
  /** Copies the list and checks nothing is null. */
  public LineChart {
    Objects.requireNonNull(title, "title");
    series = Specs.copy(series, "series");
  }

  /** A line chart without a title at the default size. */
  public LineChart(List<Series> series) {
    this("", DEFAULT_WIDTH, DEFAULT_HEIGHT, series);
  }

  /** A line chart with a title at the default size. */
  public LineChart(String title, List<Series> series) {
    this(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, series);
  }

  @Override
  public String kind() {
    return "line";
  }
}

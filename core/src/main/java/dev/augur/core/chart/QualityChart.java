package dev.augur.core.chart;

import dev.augur.core.history.MetricPoint;
import java.util.List;
import java.util.Objects;

/**
 * A quality metric over time as outcomes arrive: each bucket's {@link MetricPoint#value()}, with a
 * gap where a bucket has none. Kind {@code "quality"}. Immutable and thread-safe.
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param metric the metric's name, shown on the y axis (e.g. {@code "accuracy"})
 * @param points the time buckets, oldest first
 */
public record QualityChart(
    String title, int width, int height, String metric, List<MetricPoint> points)
    implements ChartSpec {
  /** Copies the list and checks nothing is null. */
  public QualityChart {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(metric, "metric");
    points = Specs.copy(points, "points");
  }

  /** A quality chart without a title at the default size. */
  public QualityChart(String metric, List<MetricPoint> points) {
    this("", DEFAULT_WIDTH, DEFAULT_HEIGHT, metric, points);
  }

  /** A quality chart with a title at the default size. */
  public QualityChart(String title, String metric, List<MetricPoint> points) {
    this(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, metric, points);
  }

  @Override
  public String kind() {
    return "quality";
  }
}

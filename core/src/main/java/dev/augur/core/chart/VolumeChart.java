package dev.augur.core.chart;

import dev.augur.core.history.MetricPoint;
import java.util.List;
import java.util.Objects;

/**
 * A model's prediction volume over time: each bucket's {@link MetricPoint#count()} (its value is
 * not used). Kind {@code "volume"}. Immutable and thread-safe.
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param points the time buckets, oldest first
 */
public record VolumeChart(String title, int width, int height, List<MetricPoint> points)
    implements ChartSpec {
  /** Copies the list and checks nothing is null. */
  public VolumeChart {
    Objects.requireNonNull(title, "title");
    points = Specs.copy(points, "points");
  }

  /** A volume chart without a title at the default size. */
  public VolumeChart(List<MetricPoint> points) {
    this("", DEFAULT_WIDTH, DEFAULT_HEIGHT, points);
  }

  /** A volume chart with a title at the default size. */
  public VolumeChart(String title, List<MetricPoint> points) {
    this(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, points);
  }

  @Override
  public String kind() {
    return "volume";
  }
}

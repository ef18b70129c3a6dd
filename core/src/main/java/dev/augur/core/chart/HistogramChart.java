package dev.augur.core.chart;

import java.util.List;
import java.util.Objects;

/**
 * The distribution of values in equal-width bins. JSON kind {@code "histogram"}. Immutable and
 * thread-safe.
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param values the values to count
 * @param bins how many bins, 1 to {@value ChartSpecs#MAX_BINS} (default {@value #DEFAULT_BINS})
 */
public record HistogramChart(String title, int width, int height, List<Double> values, int bins)
    implements ChartSpec {
  /** The default number of bins. */
  public static final int DEFAULT_BINS = 20;

  /** Copies the list and checks nothing is null. */
  public HistogramChart {
    Objects.requireNonNull(title, "title");
    values = Specs.copy(values, "values");
  }

  /** A histogram of 20 bins without a title at the default size. */
  public HistogramChart(List<Double> values) {
    this("", DEFAULT_WIDTH, DEFAULT_HEIGHT, values, DEFAULT_BINS);
  }

  /** A histogram of 20 bins with a title at the default size. */
  public HistogramChart(String title, List<Double> values) {
    this(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, values, DEFAULT_BINS);
  }

  @Override
  public String kind() {
    return "histogram";
  }
}

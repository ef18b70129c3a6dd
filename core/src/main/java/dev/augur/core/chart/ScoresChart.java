package dev.augur.core.chart;

import java.util.List;
import java.util.Objects;

/**
 * The distribution of a model's scores (predicted probability or value) as a histogram of 20 bins.
 * Kind {@code "scores"}. Immutable and thread-safe.
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param scores the predicted probabilities or values
 * @param xLabel what a score is, shown under the x axis (e.g. {@code "P(survived)"}), or empty
 */
public record ScoresChart(String title, int width, int height, List<Double> scores, String xLabel)
    implements ChartSpec {
  /** Copies the list and checks nothing is null. */
  public ScoresChart {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(xLabel, "xLabel");
    scores = Specs.copy(scores, "scores");
  }

  /** A scores chart without a title at the default size. */
  public ScoresChart(List<Double> scores, String xLabel) {
    this("", DEFAULT_WIDTH, DEFAULT_HEIGHT, scores, xLabel);
  }

  /** A scores chart with a title at the default size. */
  public ScoresChart(String title, List<Double> scores, String xLabel) {
    this(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, scores, xLabel);
  }

  @Override
  public String kind() {
    return "scores";
  }
}

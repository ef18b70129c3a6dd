package dev.augur.core.chart;

import dev.augur.core.drift.FeatureDrift;
import java.util.List;
import java.util.Objects;

/**
 * The drift of each feature (and the prediction) as bars against the threshold line; a feature
 * without a value (too few rows) has no bar. Kind {@code "drift"}. Immutable and thread-safe.
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param features the features' drift, in the order drawn
 * @param threshold the value from which a feature counts as drifted
 */
public record DriftChart(
    String title, int width, int height, List<FeatureDrift> features, double threshold)
    implements ChartSpec {
  /** Copies the list and checks nothing is null. */
  public DriftChart {
    Objects.requireNonNull(title, "title");
    features = Specs.copy(features, "features");
  }

  @Override
  public String kind() {
    return "drift";
  }
}

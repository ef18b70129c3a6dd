package dev.augur.core.drift;

import java.util.List;
import java.util.Objects;

/**
 * How far a window of a model's inputs and predictions moved from a reference. Immutable.
 *
 * @param model the model name
 * @param threshold the index from which a feature counts as drifted
 * @param reference the reference window or profile
 * @param current the compared window
 * @param features every tabular input feature in schema order, then {@code prediction}
 */
public record DriftReport(
    String model,
    double threshold,
    DriftWindow reference,
    DriftWindow current,
    List<FeatureDrift> features) {
  /** Below this many rows in either window no index is computed. */
  public static final int MIN_ROWS = 30;

  /** Freezes the features. */
  public DriftReport {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(current, "current");
    features = List.copyOf(features);
  }

  /** The names of the drifted features, in order. */
  public List<String> drifted() {
    return features.stream().filter(FeatureDrift::drifted).map(FeatureDrift::name).toList();
  }
}

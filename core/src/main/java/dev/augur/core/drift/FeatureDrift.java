package dev.augur.core.drift;

import java.util.Objects;
import java.util.Optional;

/**
 * The drift of one feature, or of the prediction.
 *
 * @param name the feature name, or {@code "prediction"}
 * @param type the feature type ({@code number}, {@code integer}, {@code category}, {@code boolean},
 *     {@code datetime}) or {@code prediction}
 * @param metric how it was measured: {@code psi}
 * @param value the index, or empty when a window holds fewer than {@value DriftReport#MIN_ROWS}
 *     rows or the reference does not know the feature
 * @param drifted whether {@code value} reached the threshold
 */
public record FeatureDrift(
    String name, String type, String metric, Optional<Double> value, boolean drifted) {
  /** Checks the parts are present. */
  public FeatureDrift {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(value, "value");
  }
}

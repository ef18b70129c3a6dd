package dev.augur.core.history;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Quality of a model over its labelled records.
 *
 * @param model the model name
 * @param labelled how many records have an outcome
 * @param unlabelled how many records have none yet
 * @param metrics metric name to value (a {@code Double}, a {@code List} per horizon step, or for
 *     {@code confusion} a list of rows); a value that cannot be computed yet is {@code null}.
 *     Names: {@code accuracy}, {@code log_loss}, {@code brier}, {@code roc_auc}, {@code macro_f1},
 *     {@code confusion}, {@code mae}, {@code rmse}, {@code mape}, {@code r2}.
 */
public record QualityReport(
    String model, long labelled, long unlabelled, Map<String, Object> metrics) {
  /** Freezes the metrics, keeping their order and null values. */
  public QualityReport {
    Objects.requireNonNull(model, "model");
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }
}

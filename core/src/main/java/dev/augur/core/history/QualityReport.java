package dev.augur.core.history;

import java.util.Map;
import java.util.Objects;

/**
 * Quality of a model over its labelled records.
 *
 * @param model the model name
 * @param labelled how many records have an outcome
 * @param unlabelled how many records have none yet
 * @param quality the metrics, typed by task: {@link BinaryQuality}, {@link MulticlassQuality},
 *     {@link RegressionQuality} or {@link ForecastQuality}
 */
public record QualityReport(String model, long labelled, long unlabelled, QualityMetrics quality) {
  /** Checks the parts. */
  public QualityReport {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(quality, "quality");
  }

  /**
   * The same metrics by name, as the HTTP API answers them: a {@code Double}, a {@code List} per
   * horizon step, or for {@code confusion} a list of rows; a value that cannot be computed yet is
   * {@code null}. Names: {@code accuracy}, {@code log_loss}, {@code brier}, {@code roc_auc}, {@code
   * macro_f1}, {@code confusion}, {@code mae}, {@code rmse}, {@code mape}, {@code r2}, {@code
   * mae_mean}. Prefer {@link #quality()}, which needs no casts.
   */
  public Map<String, Object> metrics() {
    return quality.asMap();
  }
}

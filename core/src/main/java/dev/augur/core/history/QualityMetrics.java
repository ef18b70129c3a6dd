package dev.augur.core.history;

import java.util.Map;

/**
 * The metrics of a {@link QualityReport}, one record per task: {@link BinaryQuality}, {@link
 * MulticlassQuality}, {@link RegressionQuality}, {@link ForecastQuality}. A metric that cannot be
 * computed yet (no labelled record, a single class, no non-zero truth for MAPE) is {@code null}, as
 * it is {@code null} in the HTTP API. Immutable.
 *
 * <pre>{@code
 * if (augur.quality("titanic").quality() instanceof BinaryQuality b) {
 *   System.out.println("accuracy " + b.accuracy() + ", ROC AUC " + b.rocAuc());
 * }
 * }</pre>
 */
public sealed interface QualityMetrics
    permits BinaryQuality, MulticlassQuality, RegressionQuality, ForecastQuality {

  /**
   * The metrics by the names of the HTTP API ({@code accuracy}, {@code log_loss}, …), in its order,
   * null values kept: what {@code GET /models/{m}/quality} answers as {@code metrics}.
   */
  Map<String, Object> asMap();
}

package dev.augur.core.history;

import java.util.Map;
import java.util.Objects;

/**
 * Quality of a binary classifier; each metric is null until it can be computed.
 *
 * @param accuracy share of records whose predicted label is the outcome
 * @param logLoss mean negative log-likelihood of the outcome
 * @param brier mean squared error of the positive class's probability
 * @param rocAuc area under the ROC curve; null while only one class has outcomes
 * @param confusion counts by outcome (rows) and predicted label (columns)
 */
public record BinaryQuality(
    Double accuracy, Double logLoss, Double brier, Double rocAuc, ConfusionMatrix confusion)
    implements QualityMetrics {
  /** Checks that the confusion matrix is given. */
  public BinaryQuality {
    Objects.requireNonNull(confusion, "confusion");
  }

  @Override
  public Map<String, Object> asMap() {
    return MetricMaps.ordered(
        "accuracy", accuracy,
        "log_loss", logLoss,
        "brier", brier,
        "roc_auc", rocAuc,
        "confusion", confusion.counts());
  }
}

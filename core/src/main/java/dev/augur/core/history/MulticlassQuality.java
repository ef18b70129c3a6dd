package dev.augur.core.history;

import java.util.Map;
import java.util.Objects;

/**
 * Quality of a multiclass classifier; each metric is null until it can be computed.
 *
 * @param accuracy share of records whose predicted label is the outcome
 * @param logLoss mean negative log-likelihood of the outcome; null when a record lacks the
 *     probability of its outcome
 * @param macroF1 F1 averaged over the classes that occur
 * @param confusion counts by outcome (rows) and predicted label (columns)
 */
public record MulticlassQuality(
    Double accuracy, Double logLoss, Double macroF1, ConfusionMatrix confusion)
    implements QualityMetrics {
  /** Checks that the confusion matrix is given. */
  public MulticlassQuality {
    Objects.requireNonNull(confusion, "confusion");
  }

  @Override
  public Map<String, Object> asMap() {
    return MetricMaps.ordered(
        "accuracy", accuracy,
        "log_loss", logLoss,
        "macro_f1", macroF1,
        "confusion", confusion.counts());
  }
}

package dev.augur.core.history;

import java.util.Map;

/**
 * Quality of a regression model; each metric is null until it can be computed.
 *
 * @param mae mean absolute error
 * @param rmse root mean squared error
 * @param mape mean absolute percentage error over the outcomes that are not zero
 * @param r2 coefficient of determination; null with fewer than two records or constant outcomes
 */
public record RegressionQuality(Double mae, Double rmse, Double mape, Double r2)
    implements QualityMetrics {
  @Override
  public Map<String, Object> asMap() {
    return MetricMaps.ordered("mae", mae, "rmse", rmse, "mape", mape, "r2", r2);
  }
}

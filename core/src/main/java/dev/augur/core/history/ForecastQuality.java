package dev.augur.core.history;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Quality of a forecaster, per horizon step (index 0 is the first step ahead); a step with no
 * outcome yet is null.
 *
 * @param mae mean absolute error per step
 * @param rmse root mean squared error per step
 * @param mape mean absolute percentage error per step, over the outcomes that are not zero
 * @param maeMean mean absolute error over every step; null while nothing is labelled
 */
public record ForecastQuality(
    List<Double> mae, List<Double> rmse, List<Double> mape, Double maeMean)
    implements QualityMetrics {
  /** Copies the lists, keeping their null steps. */
  public ForecastQuality {
    mae = MetricMaps.steps(Objects.requireNonNull(mae, "mae"));
    rmse = MetricMaps.steps(Objects.requireNonNull(rmse, "rmse"));
    mape = MetricMaps.steps(Objects.requireNonNull(mape, "mape"));
  }

  @Override
  public Map<String, Object> asMap() {
    return MetricMaps.ordered("mae", mae, "rmse", rmse, "mape", mape, "mae_mean", maeMean);
  }
}
